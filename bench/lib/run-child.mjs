// Runs one command as a child process and times it (wall clock, from spawn to exit).
import { spawn } from "node:child_process";

/**
 * Resolves { ms, code, stdout, stderr }. Output is kept (capped) for error reports; a non-zero
 * exit is not thrown here, the caller decides.
 */
export function runChild({ cmd, args = [], cwd, env, timeoutMs = 600_000 }) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const keep = (s, chunk) => (s.length > 200_000 ? s : s + chunk);
    child.stdout.on("data", (c) => (stdout = keep(stdout, c)));
    child.stderr.on("data", (c) => (stderr = keep(stderr, c)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ms: 0, code: 127, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ ms, code: code ?? 128, signal, stdout, stderr });
    });
  });
}
