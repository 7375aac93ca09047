/**
 * How core talks to a host. @fap/ssh implements it over one pooled ssh2 connection per host;
 * tests may use an in-memory one. Core never spawns ssh itself.
 */
export interface ExecOptions {
  /** Called with each complete line of stdout/stderr as it arrives. */
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
  /** Kill the remote command after this many milliseconds. */
  timeoutMs?: number;
  /**
   * Written to the command's stdin, then stdin is closed. A stream is piped (with backpressure:
   * nothing is held whole in memory); one that is destroyed before its end closes the channel,
   * so the command never mistakes a cut stream for a complete one.
   */
  stdin?: string | Buffer | NodeJS.ReadableStream;
  /** How much of each stream the result keeps (its last bytes); default KEPT_OUTPUT_BYTES. */
  keepBytes?: number;
  /** The command only reads: a --dry-run stand-in passes it to the real host (see RunOptions.readOnly). */
  readOnly?: boolean;
  /** Forward the deployer's ssh-agent to the command (the `forward_agent` key). */
  forwardAgent?: boolean;
  /**
   * The command was wrapped to run through sudo as this user (the `run_as` and `sudo` keys, see
   * run-as.ts): a timed-out one is killed as that user too.
   */
  runAs?: string;
  /** How error messages quote the command, when it was wrapped (run_as): default, the command. */
  shownAs?: string;
}

/**
 * A command's output is kept up to this many bytes per stream, its tail: memory stays bounded
 * however much a command prints, and errors still quote its last lines. Lines are streamed
 * to `onStdout`/`onStderr` as they arrive, whatever their number.
 */
export const KEPT_OUTPUT_BYTES = 1024 * 1024;

/** Lines longer than this many characters reach `onStdout`/`onStderr` cut, with a note of how much was left out. */
export const MAX_LINE_CHARS = 16 * 1024;

export interface ExecResult {
  /** The last `keepBytes` (KEPT_OUTPUT_BYTES) bytes of stdout; `stdoutBytes` says how much there was. */
  stdout: string;
  /** The last `keepBytes` bytes of stderr; `stderrBytes` says how much there was. */
  stderr: string;
  /** Bytes the command wrote to stdout, kept or not; absent when `stdout` is all of it. */
  stdoutBytes?: number | undefined;
  stderrBytes?: number | undefined;
  /** null when the command was killed by a signal. */
  exitCode: number | null;
  signal?: string | undefined;
}

export interface ShellOptions {
  /** Command to run in the shell's place (e.g. `cd DIR && exec $SHELL -l`). */
  command?: string;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  rows?: number;
  columns?: number;
  /** Ask for a PTY; by default only when `stdin` is a terminal (piped input must end the shell). */
  pty?: boolean;
}

export interface Remote {
  /** The name the user gave the host (alias, `user@host:port`, ...). */
  readonly host: string;
  /** Where the connection really goes, after ~/.ssh/config. */
  readonly resolved: ResolvedAddress;
  /** How the connection authenticated (`key ~/.ssh/id_ed25519`, `ssh-agent`), when known: for fap doctor. */
  readonly auth?: string | undefined;
  /**
   * Runs `command` with the remote user's shell. Resolves with the exit code even when it is
   * not zero; rejects only when the command could not run (connection lost, timeout).
   */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Interactive shell with a PTY; resolves with its exit code. */
  shell?(options: ShellOptions): Promise<number>;
}

/**
 * Precedence, as with `ssh -l USER -p PORT`: `user@`/`:port` in `host`, then the `user`/`port`
 * config keys, then ~/.ssh/config, then the local user name and port 22.
 */
export interface HostAddress {
  /** As written in the config: an ~/.ssh/config alias, `host`, `user@host` or `user@host:port`. */
  host: string;
  user?: string | undefined;
  port?: number | undefined;
}

export interface ResolvedAddress {
  hostname: string;
  port: number;
  user: string;
}

/** `user@host:port` (an IPv6 host in brackets): how messages name where fap connects, and a key for "the same host". */
export function formatAddress(address: ResolvedAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${address.user}@${host}:${address.port}`;
}

export interface ConnectorOptions {
  /** Store keys of hosts not yet in known_hosts instead of refusing them. */
  acceptNewHostKeys?: boolean;
}

/** Opens (and pools) connections. `close` ends them all. */
export interface Connector {
  /** Where `address` would connect to, without connecting (used by --dry-run). */
  resolve(address: HostAddress): Promise<ResolvedAddress>;
  connect(address: HostAddress): Promise<Remote>;
  close(): Promise<void>;
}
