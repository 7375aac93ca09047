// A runtime dependency, installed on each host by `npm ci --omit=dev` (a local package, so the
// example needs no registry).
exports.hello = (revision) => `hello from ${revision}`;
