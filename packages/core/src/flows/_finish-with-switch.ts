import type { HostContext } from "../context.js";
import type { FapInstance } from "../fap.js";
import type { HostHookName } from "../hooks/hooks.js";
import { CONFIG_HOOKS_PLUGIN_NAME, hasConfigHook } from "../hooks/config-hooks-plugin.js";
import { CORE_PLUGIN_NAME } from "../core-plugin.js";
import { hostsOfRun } from "../run/host-of-run.js";
import { runStateOf } from "../run/host-run-state.js";
import type { HostFailure } from "../run/run-phase.js";
import type { Session } from "../run/session-types.js";
import { canaryHosts } from "./_publish.js";
import { runPhases } from "./_run.js";
import { undoAndUnlockCommand, undoAnswer, type UndoOutcome } from "./_undo.js";

/**
 * Whether the run can finish in the command that switches `current` (one round trip fewer):
 * when it has one host of the run, so no other host may still fail its switch and need this
 * one put back; when no canary waits between the switch and the rest; and when nothing is
 * tapped on `publishing` (but core's switch) nor on the hooks after it (`after`), for any of
 * its targets, so nothing would run between the switch and the unlock.
 */
export function canFinishWithSwitch(fap: FapInstance, contexts: readonly HostContext[], after: readonly HostHookName[]): boolean {
  if (hostsOfRun(contexts).length !== 1 || canaryHosts(contexts).length > 0) return false;
  if (!contexts.every((ctx) => runStateOf(ctx) !== undefined)) return false;
  const ownTaps = new Set([CORE_PLUGIN_NAME, CONFIG_HOOKS_PLUGIN_NAME]);
  return ["publishing" as const, ...after].every(
    (hook) => fap.hooks[hook].taps.every((tap) => ownTaps.has(tap.name)) && contexts.every((ctx) => !hasConfigHook(ctx, hook)),
  );
}

export interface FinishedWithSwitch {
  failures: HostFailure[];
  /** What each target's host answered to the finish and unlock, once published. */
  unlocked: Map<HostContext, UndoOutcome>;
}

/**
 * Publishes with the finish (`finish`, e.g. log `ok` and prune) and the unlock in the same
 * command as the switch, then runs the hooks `after` it, which nothing taps (see
 * canFinishWithSwitch), for their events. A switch that fails runs neither: the lock stays for
 * the caller to put the host back, as after any failed publish. Once the command has answered,
 * the host is done: Ctrl-C no longer stops the untapped hooks (the run says it was interrupted
 * after finishing).
 */
export async function publishAndFinish(
  fap: FapInstance,
  live: Session,
  after: readonly HostHookName[],
  signal: AbortSignal | undefined,
  finish: (ctx: HostContext) => string | undefined,
  unlock: (ctx: HostContext, first: string) => string,
): Promise<FinishedWithSwitch> {
  const units = hostsOfRun(live.contexts);
  for (const [lead] of units) {
    const state = runStateOf(lead!);
    if (state) state.finishWithSwitch = { command: undoAndUnlockCommand(lead!, finish(lead!), unlock) };
  }
  const unlocked = new Map<HostContext, UndoOutcome>();
  const failures = await runPhases(fap, live, ["publishing"], signal);
  if (failures.length > 0) return { failures, unlocked };
  await runPhases(fap, live, after, undefined);
  for (const [lead, ...others] of units) {
    const answer = runStateOf(lead!)?.finishWithSwitch?.answer;
    const outcome = answer ? undoAnswer(lead!, answer) : { ok: false, reason: "the switch did not answer", lockLeft: true };
    if (!outcome.ok) fap.events.emit("log", { host: lead!.host, level: "warn", message: `clean-up failed: ${outcome.reason}` });
    for (const ctx of [lead!, ...others]) unlocked.set(ctx, outcome);
  }
  return { failures, unlocked };
}
