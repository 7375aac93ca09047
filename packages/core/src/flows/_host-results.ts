import type { HostContext } from "../context.js";
import type { HostResultState } from "../run/run-summary.js";
import type { FapInstance } from "../fap.js";
import { failureOf, type HostFailure } from "../run/run-phase.js";
import type { Session } from "../run/session-types.js";
import { UNREACHABLE, type UndoOutcome } from "./_undo.js";

/** What became of one target at the end of a run, as verified from the host's answers. */
export interface HostOutcome {
  ctx: HostContext;
  state: HostResultState;
  /** The host's own failure, if it failed itself. */
  failure?: HostFailure | undefined;
  /** Why an undo did not happen, for `not-switched-back` (and a failed clean-up). */
  why?: string | undefined;
  /** This run's lock may still be on the host: it needs `fap unlock`. */
  lockLeft: boolean;
}

/**
 * Each host's outcome after the run was undone everywhere: `undone` where the host's own undo
 * succeeded, `notUndone` where it did not ("not-switched-back"; a failed clean-up before
 * publishing leaves `current` where it was, so that stays "not-switched").
 */
export function undoneOutcomes(
  contexts: readonly HostContext[],
  failures: readonly HostFailure[],
  undo: ReadonlyMap<HostContext, UndoOutcome>,
  undone: HostResultState,
  notUndone: HostResultState,
): HostOutcome[] {
  return contexts.map((ctx) => {
    const result = undo.get(ctx);
    const failure = failureOf(failures, ctx);
    if (result === undefined || result.ok) return { ctx, state: undone, failure, lockLeft: false };
    return { ctx, state: notUndone, failure, why: result.reason, lockLeft: result.lockLeft };
  });
}

/** What every `host-result` says of its target: which one, and the release and revision it got. */
export function resultTarget(ctx: HostContext) {
  return { host: ctx.host, stage: ctx.stage, role: ctx.role, release: ctx.release.id, revision: ctx.recorded.revision };
}

/** One `host-result` per target, read from its outcome. */
export function emitHostResults(fap: FapInstance, session: Session, outcomes: readonly HostOutcome[]): void {
  for (const ctx of session.contexts) {
    const outcome = outcomes.find((o) => o.ctx === ctx) ?? { ctx, state: "done" as const, lockLeft: false };
    fap.events.emit("host-result", {
      ...resultTarget(ctx),
      ok: outcome.state === "done",
      state: outcome.state,
      phase: outcome.failure?.phase,
      error: outcome.failure?.error.message,
      note: outcome.state === "done" ? undefined : hostNote(outcome),
      ...(outcome.lockLeft ? { lockLeft: true } : {}),
      ...(unreachable(outcome) ? { unreachable: true } : {}),
    });
  }
}

/** The host could not be reached: to run its phase (or the connection was lost), or to undo it. */
function unreachable(outcome: HostOutcome): boolean {
  return outcome.why === "unreachable" || (outcome.failure !== undefined && UNREACHABLE.has(outcome.failure.error.code));
}

/** What the host holds now, in words: the summary's result cell. */
function hostNote(outcome: HostOutcome): string {
  const { ctx } = outcome;
  const lock = outcome.lockLeft ? "; lock left" : "";
  switch (outcome.state) {
    case "done":
      return "ok";
    case "live": {
      const what = ctx.flow === "rollback" ? `the rollback to ${ctx.release.id} is live` : `${ctx.release.id} is live`;
      return outcome.why === undefined ? what : `${what}, but the run could not finish there: ${outcome.why}${lock}`;
    }
    case "not-switched":
      return outcome.why === undefined ? "not switched" : `not switched; clean-up failed: ${outcome.why}${lock}`;
    case "switched-back":
      return "switched back";
    case "not-switched-back":
      return `NOT switched back: ${outcome.why ?? "unknown"} — ${holds(ctx)}${lock}`;
  }
}

/** What a host that could not be switched back runs, and how its release log marks it. */
function holds(ctx: HostContext): string {
  if (ctx.flow === "rollback") return `it runs ${ctx.release.id}, and ${ctx.release.previousId} is marked rolled-back`;
  return `it runs ${ctx.release.id}, marked live (not ok: never rolled back to)`;
}

/**
 * The run's hint about the hosts: `allUndone` when every undo happened, otherwise which hosts
 * were undone and, for each host that was not, what it holds and what to do.
 */
export function outcomeNote(outcomes: readonly HostOutcome[], allUndone: string, undoneText: string): string {
  const missed = outcomes.filter((o) => o.why !== undefined);
  if (missed.length === 0) return allUndone;
  const undone = outcomes.filter((o) => o.why === undefined).map((o) => o.ctx.host);
  const parts = undone.length > 0 ? [`${unique(undone).join(", ")}: ${undoneText}`] : [];
  for (const o of missed) parts.push(`${o.ctx.host}: ${hostNote(o)}`);
  const locked = missed.filter((o) => o.lockLeft);
  if (locked.length > 0) {
    parts.push(`once ${unique(locked.map((o) => o.ctx.host)).join(", ")} can be reached, check what it runs and free the lock: fap unlock -s ${locked[0]!.ctx.stage}`);
  }
  return parts.join("; ");
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
