// The upload bench's markdown: medians, ratios against the targets, and fap's peak RSS.
import { median } from "./stats.mjs";

const s = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : "–");
const row = (cells) => `| ${cells.join(" | ")} |`;

export function renderUpload(u) {
  const names = Object.keys(u.first);
  // "readBytes first": the median of fap's bytes read instead of its time.
  const m = (kind, name) => {
    const [field, which] = kind.includes(" ") ? kind.split(" ") : ["ms", kind];
    return median((u[which][name] ?? []).filter((r) => r.ok).map((r) => r[field]));
  };
  const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
  const failed = (name) => [...u.first[name], ...u.redeploy[name]].filter((r) => !r.ok).length;
  const verdict = (r, target) => `${r.toFixed(2)}× (target ≤ ${target.toFixed(1)}×: ${r <= target ? "met" : "missed"})`;
  const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;
  return [
    `## Upload: ${u.files} files, ${(u.bytes / 1e6).toFixed(0)} MB, to ${u.hosts} hosts at once (median of ${u.runs})`,
    "",
    row(["deploy", ...names.map((n) => n.replace("|", "\\|"))]),
    row(["---", ...names.map(() => "---")]),
    row(["first", ...names.map((n) => s(m("first", n)))]),
    row(["one file changed", ...names.map((n) => s(m("redeploy", n)))]),
    row(["failed runs", ...names.map(failed)]),
    "",
    `- first deploy, fap / \`tar | ssh\` per host: ${verdict(u.ratios.firstVsTar, 1)}`,
    `- one-file redeploy, fap / rsync \`--link-dest\`: ${verdict(u.ratios.redeployVsRsync, 1)}`,
    ...(u.ratios.redeployNoCacheVsRsync === undefined ? [] : [`- one-file redeploy without fap's hash cache (a fresh CI checkout), fap / rsync: ${verdict(u.ratios.redeployNoCacheVsRsync, 1)}`]),
    // CPU time moves less with the machine's load than wall time: the fairer comparison of two fap versions.
    ...(u.first.fap[0]?.cpuMs === undefined ? [] : [`- fap's CPU time (user + system, median): first deploy ${s(m("cpuMs first", "fap"))}, redeploy ${s(m("cpuMs redeploy", "fap"))}, redeploy without the hash cache ${s(m("cpuMs redeploy", "fap, no hash cache"))}`]),
    ...(u.first.fap[0]?.readBytes === undefined ? [] : [`- bytes fap read (files, sockets; median): first deploy ${mb(m("readBytes first", "fap"))}, redeploy ${mb(m("readBytes redeploy", "fap"))}, redeploy without the hash cache ${mb(m("readBytes redeploy", "fap, no hash cache"))} (the tree: ${mb(u.bytes)})`]),
    `- fap's peak RSS: ${mib(u.memory.small.maxRssKiB)} with ${u.memory.small.files} files (${(u.memory.small.bytes / 1e6).toFixed(0)} MB), ` +
      `${mib(u.memory.large.maxRssKiB)} with ${u.memory.large.files} files (${(u.memory.large.bytes / 1e6).toFixed(0)} MB)`,
    `- the hosts hold the tree (the changed file and the last one, on the last host, after each variant's last redeploy): ${u.verified ? "yes" : "NO"}`,
    "",
    "`tar | ssh`: one `tar -c | ssh HOST tar -x` per host, all at once (the redeploy sends everything again). " +
      "rsync: `rsync -a -e ssh` per host, the redeploy with `--link-dest` to the first copy, like fap's hard links. " +
      "Both over the OpenSSH client to the same sshd hosts fap uses.",
    "",
  ];
}
