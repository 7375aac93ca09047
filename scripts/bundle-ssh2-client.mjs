// An esbuild plugin for @fap/ssh's bundle (scripts/bundle.mjs): `import ssh2 from "ssh2"` becomes
// an object holding the parts of ssh2 fap uses, required as @fap/ssh loads (so that they load
// while the config does, not at the first connect), and the rest of ssh2 only if asked for.
// ssh2's index requires all of it at once: its SSH server, HTTP agents and key generator too,
// and with them Node's http and tls (16 of Node's own modules); fap's client uses none of them.
import { createRequire } from "node:module";
import path from "node:path";

/** What @fap/ssh uses of ssh2, and the file of ssh2 (1.x) each comes from; the rest comes from ssh2's index. */
const PARTS = {
  Client: ["ssh2/lib/client.js", (m) => m],
  OpenSSHAgent: ["ssh2/lib/agent.js", (m) => m.OpenSSHAgent],
};
const UTILS = {
  parseKey: ["ssh2/lib/protocol/keyParser.js", (m) => m.parseKey],
};

/** Fails the build when a part is not what ssh2's index exports under its name (another layout of ssh2). */
function checkParts(resolveDir) {
  const require = createRequire(path.join(resolveDir, "index.js"));
  const whole = require("ssh2");
  const check = (table, from) => {
    for (const [name, [file, pick]] of Object.entries(table)) {
      if (pick(require(file)) !== from[name]) throw new Error(`ssh2's ${name} is not in ${file}: update scripts/bundle-ssh2-client.mjs`);
    }
  };
  check(PARTS, whole);
  check(UTILS, whole.utils);
}

// The module the import becomes. An ssh2 laid out otherwise (a later 1.x) falls back to its index.
const SHIM = (parts, utils) => `
let whole;
const index = () => (whole ??= require("ssh2"));
const part = (load, pick, name, from) => {
  try {
    return pick(load());
  } catch (error) {
    if (error?.code !== "MODULE_NOT_FOUND" && error?.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw error;
    return from()[name];
  }
};
const lazy = (loads, from) => {
  const table = Object.fromEntries(Object.entries(loads).map(([name, load]) => [name, load()]));
  return new Proxy({}, {
  get: (_, name) => (Object.hasOwn(table, name) ? table[name] : from()[name]),
  has: (_, name) => name in from(),
  ownKeys: () => Reflect.ownKeys(from()),
  getOwnPropertyDescriptor: (_, name) => ({ ...Reflect.getOwnPropertyDescriptor(from(), name), configurable: true }),
  });
};
const utils = lazy({ ${utils} }, () => index().utils);
export default lazy({ ${parts}, utils: () => utils }, index);
`;

const entries = (table, from) =>
  Object.entries(table)
    .map(([name, [file, pick]]) => `${name}: () => part(() => require(${JSON.stringify(file)}), ${pick.toString()}, ${JSON.stringify(name)}, ${from})`)
    .join(", ");

export function ssh2ClientOnly() {
  return {
    name: "ssh2-client-only",
    setup(build) {
      build.onResolve({ filter: /^ssh2$/ }, (args) =>
        args.namespace === "ssh2-client-only" ? { path: args.path, external: true } : { path: args.path, namespace: "ssh2-client-only", pluginData: args.resolveDir },
      );
      build.onResolve({ filter: /^ssh2\// }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: "ssh2-client-only" }, (args) => {
        checkParts(args.pluginData);
        return { contents: SHIM(entries(PARTS, "index"), entries(UTILS, "() => index().utils")), loader: "js", resolveDir: args.pluginData };
      });
    },
  };
}
