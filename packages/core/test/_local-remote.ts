import { spawn } from "node:child_process";
import { FapError } from "../src/errors.js";
import type { Connector, ExecOptions, ExecResult, HostAddress, Remote, ResolvedAddress } from "../src/remote.js";

/**
 * A `Remote` that runs each command with the local `sh -c`: real shell semantics (quoting,
 * symlinks, exit codes) without ssh. Every "host" sees the same filesystem, so tests give each
 * host its own deploy path (`path: <tmp>/%(host)s/app`).
 */
export function localRemote(
  host: string,
  options: { cwd?: string; resolved?: ResolvedAddress } = {},
): Remote & { commands: string[] } {
  const resolved: ResolvedAddress = options.resolved ?? { hostname: host, port: 22, user: "tester" };
  const commands: string[] = [];
  return {
    host,
    resolved,
    commands,
    exec(command: string, execOptions: ExecOptions = {}): Promise<ExecResult> {
      commands.push(command);
      return runLocal(host, command, execOptions, options.cwd);
    },
  };
}

function runLocal(host: string, command: string, options: ExecOptions, cwd: string | undefined): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills what the shell started too (they hold the pipes).
    const child = spawn("sh", ["-c", command], { cwd, stdio: ["pipe", "pipe", "pipe"], detached: true });
    const stdout = lineCollector(options.onStdout);
    const stderr = lineCollector(options.onStderr);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid!, "SIGKILL");
            } catch {
              child.kill("SIGKILL");
            }
          }, options.timeoutMs);
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(new FapError("E_CONNECTION_LOST", `${host}: could not run sh: ${error.message}`, { host, cause: error }));
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (timedOut) {
        reject(new FapError("E_COMMAND_TIMEOUT", `${host}: command timed out after ${options.timeoutMs} ms`, { host, details: { command } }));
        return;
      }
      resolve({ stdout: stdout.end(), stderr: stderr.end(), exitCode: code, signal: signal ?? undefined });
    });
    // A command that never reads stdin closes it early; that is not an error.
    child.stdin.on("error", () => {});
    const stdin = options.stdin ?? "";
    if (typeof stdin === "string" || Buffer.isBuffer(stdin)) child.stdin.end(stdin);
    else stdin.pipe(child.stdin);
  });
}

/** Collects a stream's text and calls `onLine` with each complete line (and a last unterminated one). */
function lineCollector(onLine: ((line: string) => void) | undefined) {
  let all = "";
  let pending = "";
  return {
    push(chunk: Buffer) {
      const text = chunk.toString("utf8");
      all += text;
      if (!onLine) return;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      lines.forEach((line) => onLine(line));
    },
    end(): string {
      if (onLine && pending) onLine(pending);
      pending = "";
      return all;
    },
  };
}

/** A `Connector` with one `localRemote` per host name; `connected` lists every connect call. */
export function localConnector(options: { cwd?: string } = {}): Connector & {
  remotes: Map<string, ReturnType<typeof localRemote>>;
  connected: HostAddress[];
  closed: boolean;
} {
  const remotes = new Map<string, ReturnType<typeof localRemote>>();
  const connected: HostAddress[] = [];
  const connector = {
    remotes,
    connected,
    closed: false,
    async resolve(address: HostAddress): Promise<ResolvedAddress> {
      return { hostname: address.host, port: address.port ?? 22, user: address.user ?? "tester" };
    },
    async connect(address: HostAddress): Promise<Remote> {
      connected.push(address);
      let remote = remotes.get(address.host);
      if (!remote) {
        remote = localRemote(address.host, { ...options, resolved: await connector.resolve(address) });
        remotes.set(address.host, remote);
      }
      return remote;
    },
    async close(): Promise<void> {
      connector.closed = true;
    },
  };
  return connector;
}
