import type { HostContext, RunContext } from "../context.js";
import { FapError } from "../errors.js";
import type { FapInstance } from "../fap.js";
import type { HostHookName } from "../hooks/hooks.js";
import { asFapError, failureError, failureOf, interruptedError, isTargetOf, runPhase, type HostFailure } from "../run/run-phase.js";
import { membersOf } from "../run/host-of-run.js";
import { emitHostResults, resultTarget, type HostOutcome } from "./_host-results.js";
import type { Session, SessionOptions } from "../run/session-types.js";
import { withActor } from "../hooks/_active-tap.js";
import { CORE_PLUGIN_NAME } from "../core-plugin.js";
import { deferredOf } from "../run/host-run-state.js";
import { UNREACHABLE } from "./_undo.js";

export interface FlowResult {
  deployId: string;
  hosts: Array<{ host: string; stage: string; role: string; release: string | undefined }>;
}

/**
 * Runs phases in order across all hosts; stops at the first phase in which any host failed.
 * Once `signal` aborts (Ctrl-C), no further phase or host is started.
 */
export async function runPhases(fap: FapInstance, session: Session, phases: readonly HostHookName[], signal?: AbortSignal): Promise<HostFailure[]> {
  for (const phase of phases) {
    const failures = await runPhase(fap.hooks, fap.events, phase, session.contexts, session.parallel, signal);
    if (failures.length > 0) return failures;
  }
  return [];
}

export interface TolerantResult {
  failures: HostFailure[];
  /** Hosts still going: those that did not fail. */
  active: HostContext[];
  /** More hosts failed than allowed: the run must stop everywhere. */
  overLimit: boolean;
}

/**
 * Runs phases in order; a host that fails is dropped while no more than `maxFailed` hosts have
 * failed in all, and the others go on. Past that (or after Ctrl-C) it stops like runPhases.
 */
export async function runPhasesTolerant(
  fap: FapInstance,
  session: Session,
  phases: readonly HostHookName[],
  signal: AbortSignal | undefined,
  maxFailed: number,
): Promise<TolerantResult> {
  let active = [...session.contexts];
  const failures: HostFailure[] = [];
  for (const [index, phase] of phases.entries()) {
    const found = await runPhase(fap.hooks, fap.events, phase, active, session.parallel, signal, maxFailed - failures.length);
    failures.push(...found);
    if (signal?.aborted) {
      // Ctrl-C while the phase ran: the hosts that passed it stop before the next one, and say so.
      const next = phases[index + 1] ?? "publishing";
      const stopped = active.filter((ctx) => !found.some((f) => isTargetOf(f, ctx)));
      failures.push(...stopped.map((ctx) => ({ host: ctx.host, stage: ctx.stage, role: ctx.role, phase: next, error: interruptedError(signal) })));
    }
    // Roles sharing one release drop out together: their release goes when one of them fails.
    const going = active.filter((ctx) => !membersOf(ctx).some((member) => found.some((f) => isTargetOf(f, member))));
    if (failures.length > maxFailed || signal?.aborted || (found.length > 0 && going.length === 0)) {
      return { failures, active, overLimit: true };
    }
    active = going;
  }
  return { failures, active, overLimit: false };
}

export function runContext(options: SessionOptions, flow: RunContext["flow"], session: Session | undefined, dryRun: boolean): RunContext {
  return {
    flow,
    deployId: session?.deployId ?? options.deployId ?? "",
    dryRun,
    hosts: session?.contexts ?? [],
    events: options.fap.events,
    config: options.config,
  };
}

/**
 * Runs a clean-up command on every host, also after Ctrl-C; a host that cannot be cleaned is
 * reported, not thrown, so the others still are.
 */
export async function cleanUp(fap: FapInstance, contexts: readonly HostContext[], command: (ctx: HostContext) => string): Promise<void> {
  await Promise.all(
    contexts.map(async (ctx) => {
      try {
        deferredOf(ctx)?.drop(); // what never went out needs no undoing
        await withActor(ctx, CORE_PLUGIN_NAME, () => ctx.run(command(ctx), { evenIfInterrupted: true, quiet: true }));
      } catch (error) {
        fap.events.emit("log", { host: ctx.host, level: "warn", message: `clean-up failed: ${asFapError(error).message}` });
      }
    }),
  );
}

export function flowResult(session: Session): FlowResult {
  return {
    deployId: session.deployId,
    hosts: session.contexts.map((c) => ({ host: c.host, stage: c.stage, role: c.role, release: c.release.id })),
  };
}

/**
 * Ends a failed deploy or rollback: one `host-result` per target read from its outcome, and
 * one error naming the hosts that failed (or, when none failed itself, those a clean-up
 * missed). The outcome hooks hear of it from withOutcome.
 */
export function failRun(
  fap: FapInstance,
  session: Session,
  flow: string,
  failures: readonly HostFailure[],
  outcomes: readonly HostOutcome[],
  note: string,
): never {
  emitHostResults(fap, session, outcomes);
  const missed = outcomes
    .filter((o) => o.why !== undefined)
    .map((o) => ({ host: o.ctx.host, phase: "clean-up", error: new FapError("E_CLEANUP_FAILED", o.why!, { host: o.ctx.host }) }));
  throw failureError(flow, failures.length > 0 ? failures : missed, note);
}

/**
 * A run whose every phase passed although Ctrl-C came (during the last phase, whose running
 * commands are let end): it still exits as interrupted, saying that nothing is left undone.
 */
export function doneButInterrupted(flow: string, signal: AbortSignal | undefined, holds: string): void {
  if (!signal?.aborted) return;
  const error = interruptedError(signal);
  throw new FapError("E_INTERRUPTED", `${error.message} after the ${flow} had finished on every host: ${holds}`, {
    hint: "nothing was undone and nothing is left to finish",
    details: error.details,
  });
}

/** One result per host, for flows that change no release (restart, tasks): ok unless it failed. */
export function reportHosts(fap: FapInstance, session: Session, failures: readonly HostFailure[]): void {
  for (const ctx of session.contexts) {
    const failure = failureOf(failures, ctx);
    fap.events.emit("host-result", {
      ...resultTarget(ctx),
      ok: failure === undefined,
      phase: failure?.phase,
      error: failure?.error.message,
      ...(failure !== undefined && UNREACHABLE.has(failure.error.code) ? { unreachable: true } : {}),
    });
  }
}
