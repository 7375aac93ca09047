import { AsyncLocalStorage } from "node:async_hooks";
import type { DeferredCommands } from "./_deferred.js";
import type { ExecResult } from "../remote.js";

/** What runs on a host now: the phase (hook or task step) and who sent the work (a tap, a task). */
export interface RunFrame {
  readonly phase?: string | undefined;
  readonly actor?: string | undefined;
}

interface Frame extends RunFrame {
  readonly state: HostRunState;
  readonly outer: Frame | undefined;
}

// The steps of a `parallel()` task run on one host at the same time, with the same context (a
// plugin may key a WeakMap by it, so each step cannot get a copy): which step sent a command is
// known only from the async call chain it was sent in.
const frames = new AsyncLocalStorage<Frame>();

/**
 * One host's state in one run, moved only by core: the phase and actor each command event
 * names, and the commands deferred to the host's next one. A field of the host's context,
 * hidden from plugins (see runStateOf).
 */
export class HostRunState {
  /**
   * Set by a deploy or rollback when nothing runs on this host between the switch and the
   * unlock (see _finish-with-switch.ts): core's publishing sends `command` after the switch, in
   * the same command, and keeps the host's answer here for the flow to read.
   */
  finishWithSwitch: { command: string; answer?: ExecResult } | undefined;

  constructor(readonly deferred: DeferredCommands) {}

  /** The hook or task step the calling code runs in, on this host. */
  get phase(): string | undefined {
    return this.frame()?.phase;
  }

  /** The tap or task the calling code runs in, on this host (`fap:git`, `task db:migrate`). */
  get actor(): string | undefined {
    return this.frame()?.actor;
  }

  /** Runs `work` in `frame` on this host; what `frame` leaves out is kept from the frame around it. */
  within<T>(frame: RunFrame, work: () => Promise<T>): Promise<T> {
    const around = this.frame();
    const phase = "phase" in frame ? frame.phase : around?.phase;
    const actor = "actor" in frame ? frame.actor : around?.actor;
    return frames.run({ state: this, phase, actor, outer: frames.getStore() }, work);
  }

  // Frames of other hosts may sit in between: a tap on one host may send work to another.
  private frame(): Frame | undefined {
    for (let frame = frames.getStore(); frame; frame = frame.outer) if (frame.state === this) return frame;
    return undefined;
  }
}

const RUN_STATE = Symbol("fap.hostRunState");

/** Makes `state` the run state of `ctx`: a non-enumerable field, so spreads and JSON leave it out. */
export function attachRunState(ctx: object, state: HostRunState): void {
  Object.defineProperty(ctx, RUN_STATE, { value: state, enumerable: false });
}

/** The run state of a host context made by core; undefined for anything else (a test's stub, a run context). */
export function runStateOf(ctx: unknown): HostRunState | undefined {
  if (typeof ctx !== "object" || ctx === null) return undefined;
  const state = (ctx as Record<symbol, unknown>)[RUN_STATE];
  return state instanceof HostRunState ? state : undefined;
}

/** Runs `work` in `frame` on the host of `ctx`, or just runs it if `ctx` has no run state. */
export function withinFrame<T>(ctx: unknown, frame: RunFrame, work: () => Promise<T>): Promise<T> {
  const state = runStateOf(ctx);
  return state ? state.within(frame, work) : work();
}

/** The commands waiting on the host of `ctx` (a field of its run state), if any. */
export function deferredOf(ctx: object): DeferredCommands | undefined {
  return runStateOf(ctx)?.deferred;
}
