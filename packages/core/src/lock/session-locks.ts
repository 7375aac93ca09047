import { inspectCommand } from "../shell/inspect.js";
import { releaseLockCommand } from "./lock-commands.js";
import type { HostPaths } from "../context.js";
import type { FlowName } from "../flow-name.js";
import { FapError } from "../errors.js";
import { parseHostState, type HostState } from "../run/host-state.js";
import { checkLockTaken, newLockInfo } from "./lock.js";
import type { ExecResult, Remote } from "../remote.js";
import { retryWhileLocked, type LockWait } from "./lock-wait.js";

/**
 * How much of a host's state read is kept. Command results keep only their last 1 MiB; the
 * release log grows ~200 bytes a deploy, and a state read cut at its start would be misread.
 */
const HOST_STATE_BYTES = 64 * 1024 * 1024;

/** The host's state, or E_HOST_STATE when it was too big to be read whole (never a partial read). */
function wholeState(host: string, paths: HostPaths, result: ExecResult): HostState {
  if (result.stdoutBytes !== undefined) {
    throw new FapError("E_HOST_STATE", `the release log ${paths.meta}/releases.log is too big to read (${result.stdoutBytes} bytes of state)`, {
      host,
      hint: "keep its last lines: tail -n 1000 releases.log > releases.log.new && mv releases.log.new releases.log",
    });
  }
  return parseHostState(result.stdout);
}

/** Flows that take the deploy lock, in the same command that reads each host. */
export const LOCKING_FLOWS: ReadonlySet<FlowName> = new Set(["deploy", "rollback", "mark-bad"]);

/**
 * The locks a session takes while reading its hosts. The first host is locked before any
 * other: of two runs racing for the same hosts, the one that loses the first host stops there,
 * instead of each ending up holding some hosts and both failing.
 */
export class SessionLocks {
  private readonly taken: Array<{ remote: Remote; paths: HostPaths; made: readonly string[] }> = [];
  private leaderDone!: () => void;
  private readonly leaderTurn = new Promise<void>((resolve) => (this.leaderDone = resolve));
  private leaderFailed = false;
  /** Each host of the run is read (and locked) once, however many roles it serves. */
  private readonly reads = new Map<string, Promise<HostState>>();

  constructor(
    private readonly flow: FlowName,
    private readonly deployId: string,
    private readonly deployer: string,
    private readonly locking: boolean,
    /** --lock-wait: a host another run holds is tried again until then, instead of failing at once. */
    private readonly wait?: LockWait,
  ) {}

  /**
   * Runs the opening of host `index` (connecting, checking its config, `inspect`): if it fails
   * on the first host, the others stop waiting for that host and take no lock.
   */
  async unlessFirstFails<T>(index: number, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (index === 0) this.firstHostDone(false);
      throw error;
    }
  }

  /**
   * Reads (and locks) the host of the run `group` once: its other targets get the same state.
   * The first target is never kept waiting by another of its group: all others wait for its turn.
   */
  async inspect(group: string, host: string, index: number, remote: Remote, paths: HostPaths, values: Readonly<Record<string, unknown>>): Promise<HostState> {
    if (!this.locking) return this.once(group, async () => wholeState(host, paths, await remote.exec(inspectCommand(paths), { keepBytes: HOST_STATE_BYTES })));
    if (index > 0) {
      await this.leaderTurn;
      if (this.leaderFailed) throw new FapError("E_DEPLOY_FAILED", `not started: the first host refused the ${this.flow}`, { host });
    }
    return this.once(group, () => this.lockAndRead(host, index, remote, paths, values));
  }

  private once(group: string, read: () => Promise<HostState>): Promise<HostState> {
    const started = this.reads.get(group) ?? read();
    this.reads.set(group, started);
    return started;
  }

  private async lockAndRead(host: string, index: number, remote: Remote, paths: HostPaths, values: Readonly<Record<string, unknown>>): Promise<HostState> {
    try {
      const { result, state } = await retryWhileLocked(host, this.wait, async () => {
        const lock = newLockInfo({ deployId: this.deployId, flow: this.flow, deployer: this.deployer }, Number(values.lock_ttl ?? 3600));
        const result = await remote.exec(inspectCommand(paths, lock), { keepBytes: HOST_STATE_BYTES });
        const state = parseHostState(result.stdout);
        if (result.exitCode === 0) this.taken.push({ remote, paths, made: state.made ?? [] });
        checkLockTaken(host, paths.root, this.flow, result);
        return { result, state };
      });
      wholeState(host, paths, result);
      if (index === 0) this.firstHostDone(true);
      return state;
    } catch (error) {
      if (index === 0) this.firstHostDone(false);
      throw error;
    }
  }

  private firstHostDone(locked: boolean): void {
    if (!locked) this.leaderFailed = true;
    this.leaderDone();
  }

  /** Frees every lock taken, when the session could not open on every host. */
  async releaseAll(): Promise<void> {
    this.leaderDone();
    await Promise.allSettled(this.taken.map(({ remote, paths, made }) => remote.exec(releaseLockCommand(paths, this.deployId, undefined, made))));
  }
}

