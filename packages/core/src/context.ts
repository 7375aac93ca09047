import type { FapEvents } from "./events.js";
import type { FlowName } from "./flow-name.js";
import type { HostState } from "./run/host-state.js";
import type { ExecResult, Remote } from "./remote.js";

export interface HostPaths {
  /** The deploy path: `path`. */
  readonly root: string;
  readonly releases: string;
  readonly current: string;
  readonly shared: string;
  /** `.fap/` beside releases: the release log (and lock). */
  readonly meta: string;
  /** The release this run builds (deploy) or switches to (rollback); undefined for restart. */
  readonly release: string | undefined;
}

export interface RunOptions {
  /** Directory to run in (quoted for you). */
  cwd?: string;
  /** Do not throw on a non-zero exit; the caller reads `exitCode`. */
  allowFailure?: boolean;
  /** Overrides `command_timeout` (milliseconds). */
  timeoutMs?: number;
  /** Data for the command's stdin (kept off the command line: the way to send secrets or files); a stream is piped. */
  stdin?: string | Buffer | NodeJS.ReadableStream;
  /** Run even after Ctrl-C: for clean-up steps. Other commands are refused once interrupted. */
  evenIfInterrupted?: boolean;
  /** Output the caller reads for itself: not shown as the host's output (still in --verbose). */
  quiet?: boolean;
  /** Bytes of each stream the result keeps, its tail (default KEPT_OUTPUT_BYTES, 1 MiB). */
  keepBytes?: number;
  /**
   * Send the command with this host's next one instead of on its own: one round trip fewer, for
   * commands whose output nobody reads. It still runs before whatever runs next on the host,
   * and before publishing; its failure fails the command it went with, named as itself.
   * Resolves at once with empty output. Not with `stdin` or `allowFailure`.
   */
  defer?: boolean;
  /**
   * The command changes nothing on the host (it only reads, e.g. `git ls-remote`): under
   * --dry-run it is still run, so that what it reads makes the commands shown exact.
   */
  readOnly?: boolean;
}

/** One host of one stage.role of the run, as every tap sees it (`ctx.targets`). */
export interface RunTarget {
  readonly host: string;
  readonly stage: string;
  readonly role: string;
  /** The role's primary host: `primary: true` in the config, else the role's first selected host. */
  readonly primary: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

export interface OnceOptions {
  /**
   * How far "once" reaches: `run` (default) once for the whole run, `stage` once per stage,
   * `role` once per stage.role (the calling host's), `target` once for the calling host of its
   * stage.role: a value a plugin works out in one hook and reads in a later one.
   */
  per?: "run" | "stage" | "role" | "target";
  /**
   * When the one call fails: `share` (default) every caller gets its error; `each` every other
   * caller then runs `fn` itself, with its own host (one host that cannot reach a server says
   * nothing about the others).
   */
  ifFailed?: "share" | "each";
}

/** `ctx.once`: `fn` runs with the context of the first host to call it. */
export type Once = <T>(key: string, fn: (ctx: HostContext) => T | PromiseLike<T>, options?: OnceOptions) => Promise<T>;

/** What a host hook gets: one host of one stage.role, for one run. */
export interface HostContext {
  readonly flow: FlowName;
  readonly deployId: string;
  readonly stage: string;
  readonly role: string;
  /** The host as written in the config. */
  readonly host: string;
  /** Whether this host is its role's primary (`primary: true`, else the role's first selected host). */
  readonly primary: boolean;
  /** The host entry's `labels` (`{ host: db1, labels: { zone: a } }`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Every target of this run, this one included: host, stage, role, primary, labels. */
  readonly targets: readonly RunTarget[];
  /**
   * Runs `fn` once for the run (or per stage / stage.role: `{ per: "stage" }`), with the context
   * of the first host to call it; every caller gets the same result. `{ ifFailed: "each" }`:
   * when that one call fails, each other caller runs `fn` for itself.
   */
  once: Once;
  /** Every config key, resolved for this host and interpolated. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly paths: HostPaths;
  readonly release: { readonly id: string | undefined; readonly previousId: string | undefined };
  /** What the host held when the run began: `current`, release dirs, release log. */
  readonly before: HostState;
  /** Local user running fap, for the release log. */
  readonly deployer: string;
  readonly dryRun: boolean;
  readonly remote: Remote;
  /**
   * Runs a shell command on the host. Throws FapError E_COMMAND_FAILED (with command, exit
   * code and stderr) on a non-zero exit unless `allowFailure`. Build commands with `sh`.
   */
  run(command: string, options?: RunOptions): Promise<ExecResult>;
  log(message: string, level?: "info" | "warn"): void;
  /** Adds fields (e.g. `revision`) to this release's line in the host's release log. */
  record(fields: Record<string, string>): void;
  readonly recorded: Readonly<Record<string, string>>;
}

/** What run-wide hooks get (building, built, failed). */
export interface RunContext {
  readonly flow: FlowName;
  readonly deployId: string;
  readonly dryRun: boolean;
  readonly hosts: readonly HostContext[];
  readonly events: FapEvents;
  /** The config as loaded, before stage/role resolution. */
  readonly config: Readonly<Record<string, unknown>>;
}
