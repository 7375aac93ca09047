// What both limit scripts share: one ssh2 connection per host, a command run on it, and the
// process's own CPU time and peak RSS written at exit (the same figures the probe takes of fap).
import { readFileSync, writeFileSync } from "node:fs";
import ssh2 from "ssh2";

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** `sh -c SCRIPT name args…`, every word quoted. */
export const shScript = (script, ...args) => ["sh", "-c", script, "limit", ...args].map(quote).join(" ");

/** Resolves with a ready client; host keys are not checked (the bench's own hosts). */
export function connect(target, user, privateKey) {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on("error", (error) => reject(new Error(`${target.host}:${target.port}: ${error.message}`)));
    client.on("ready", () => resolve(client));
    client.connect({ host: target.host, port: target.port, username: user, privateKey, hostVerifier: () => true, readyTimeout: 60_000 });
    client.setNoDelay(true);
  });
}

/** Runs one command on an open connection; resolves with its stdout, rejects on a non-zero exit. */
export function exec(client, target, command) {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(new Error(`${target.host}:${target.port}: ${error.message}`));
      let stdout = "";
      let stderr = "";
      stream.on("data", (c) => (stdout += c));
      stream.stderr.on("data", (c) => (stderr += c));
      stream.on("close", (code) => {
        if (code === 0) resolve(stdout);
        else reject(new Error(`${target.host}:${target.port}: exit ${code}: ${stderr.trim()}`));
      });
    });
  });
}

/** The job file named on the command line, with its private key read. */
export function readJob() {
  const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
  return { job, privateKey: readFileSync(job.identityFile) };
}

export function recordUsageAtExit() {
  if (!process.env.BENCH_PROBE_OUT) return;
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(process.env.BENCH_PROBE_OUT, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000), userMs: Math.round(usage.userCPUTime / 1000), sysMs: Math.round(usage.systemCPUTime / 1000) }));
  });
}

/** Exit 0 when every host's promise fulfilled; each failure on its own line. */
export function exitWith(results) {
  const failed = results.filter((r) => r.status === "rejected");
  for (const f of failed) console.error(f.reason.message);
  process.exit(failed.length ? 1 : 0);
}
