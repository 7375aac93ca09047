/** Lines of the wait script's own answer start with this; pm2's own output is never printed. */
export const MARK = "::fap-pm2::";

/** Lines of each of a failed app's logs (stderr, then stdout) brought back. */
const LOG_LINES = 20;

/**
 * Run on the host with `node -e SCRIPT BIN_JSON NAME MIN_UPTIME TIMEOUT CURRENT`: polls
 * `pm2 jlist` until every process of the app has been online for MIN_UPTIME seconds (ok), one
 * restarted or stopped (crashed: a crash loop never stays up), one runs a script outside the
 * release `current` points at (stale), or TIMEOUT passed. Prints, after MARK, the result, one
 * line per process, and on failure the end of each process's logs. jlist itself is never
 * printed: it holds the app's environment, secrets included.
 */
export const WAIT_SCRIPT = `
const { execFileSync } = require("child_process");
const fs = require("fs");
const [binJson, name, minUptime, timeout, current] = process.argv.slice(1);
const bin = JSON.parse(binJson);
const MARK = ${JSON.stringify(MARK)};
const deadline = Date.now() + Number(timeout) * 1000;
const live = fs.realpathSync(current) + "/";
const real = (p) => { try { return fs.realpathSync(p); } catch { return p; } };
const list = () => {
  const out = execFileSync(bin[0], [...bin.slice(1), "jlist"], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  const start = out.search(/^\\[/m);
  return JSON.parse(start < 0 ? "[]" : out.slice(start)).filter((p) => p.name === name);
};
const tail = (file) => {
  try {
    const text = fs.readFileSync(file, "utf8");
    return text.slice(-65536).split("\\n").filter((l) => l.trim() !== "").slice(-${LOG_LINES});
  } catch { return []; }
};
const finish = (result, procs) => {
  console.log(MARK + "result " + result);
  for (const p of procs) {
    const e = p.pm2_env || {};
    const up = e.status === "online" ? Math.max(0, Math.round((Date.now() - e.pm_uptime) / 1000)) : 0;
    console.log(MARK + "proc " + [p.pm_id, e.status, e.restart_time || 0, up, real(e.pm_exec_path || "-")].join(" "));
  }
  if (result !== "ok") {
    const seen = new Set();
    for (const p of procs) for (const file of [p.pm2_env.pm_err_log_path, p.pm2_env.pm_out_log_path]) {
      if (!file || seen.has(file)) continue;
      seen.add(file);
      const lines = tail(file);
      if (lines.length > 0) console.log(MARK + "log " + file + "\\n" + lines.join("\\n"));
    }
  }
  process.exit(0);
};
const first = new Map();
for (;;) {
  const procs = list();
  if (procs.length === 0) finish("missing", procs);
  for (const p of procs) if (!first.has(p.pm_id)) first.set(p.pm_id, p.pm2_env.restart_time || 0);
  if (procs.some((p) => p.pm2_env.status === "errored" || p.pm2_env.status === "stopped" || (p.pm2_env.restart_time || 0) > first.get(p.pm_id))) finish("crashed", procs);
  const online = procs.every((p) => p.pm2_env.status === "online");
  if (online && procs.some((p) => !real(p.pm2_env.pm_exec_path).startsWith(live))) finish("stale", procs);
  if (online && procs.every((p) => Date.now() - p.pm2_env.pm_uptime >= Number(minUptime) * 1000)) finish("ok", procs);
  if (Date.now() > deadline) finish("timeout", procs);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
}
`;
