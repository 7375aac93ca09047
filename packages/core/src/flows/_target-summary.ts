import type { HostContext } from "../context.js";
import type { FlowName } from "../flow-name.js";
import type { FapError } from "../errors.js";
import type { FapEventMap } from "../events.js";
import type { KeySpecs } from "../config/keys.js";
import { resolveConfig } from "../config/resolve.js";
import { hostResultText, type HostResultState, type TargetResult, type TargetState, type TargetSummary } from "../run/run-summary.js";
import type { RunPlan } from "../run/plan.js";
import { runtimeLayer } from "../config/target-layout.js";
import { UNREACHABLE } from "./_undo.js";

export interface TargetFacts {
  flow: FlowName;
  target: { stage: string; role: string; host: string };
  /** Its context, once the run connected to it. */
  ctx: HostContext | undefined;
  config: Readonly<Record<string, unknown>>;
  /** Its `host-result`, if the run got as far as reporting one. */
  result: FapEventMap["host-result"][0] | undefined;
  durations: Readonly<Record<string, number>>;
  /** The run's error: it names this host when the host stopped the run before any phase. */
  runError: FapError | undefined;
  redact: (text: string) => string;
}

const WORDS: Record<HostResultState, TargetResult> = {
  done: "switched",
  live: "switched",
  "not-switched": "not switched",
  "switched-back": "switched back",
  "not-switched-back": "NOT switched back",
};

/** Flows whose hosts switch `current`: their results are said as switched or not. */
const SWITCHING: ReadonlySet<FlowName> = new Set(["deploy", "rollback"]);

/** One target's line of the run summary, read from its `host-result` (or, without one, from the run's error). */
export function targetSummary(facts: TargetFacts): TargetSummary {
  const { target, ctx, result } = facts;
  const base = {
    stage: target.stage,
    role: target.role,
    host: target.host,
    release: result?.release ?? ctx?.release.id,
    previousRelease: ctx?.release.previousId,
    revision: result?.revision ?? ctx?.recorded.revision,
    durations: { ...facts.durations },
    durationMs: Object.values(facts.durations).reduce((a, b) => a + b, 0),
    config: facts.config,
  };
  if (result === undefined) {
    // The run stopped before this target ran a phase; the error says so if this host stopped it.
    const own = facts.runError !== undefined && facts.runError.host === target.host ? facts.runError : undefined;
    const error = own === undefined ? undefined : facts.redact(own.message);
    return {
      ...base,
      ok: false,
      state: "not-started",
      result: "not started",
      note: error === undefined ? "not started" : `not started: ${error}`,
      phase: undefined,
      error,
      unreachable: own !== undefined && UNREACHABLE.has(own.code),
      lockLeft: false,
    };
  }
  const state: TargetState = result.state ?? (result.ok ? "done" : "failed");
  return {
    ...base,
    ok: result.ok,
    state,
    result: resultWords(facts.flow, state),
    note: hostResultText(result),
    phase: result.phase,
    error: result.error,
    unreachable: result.unreachable ?? false,
    lockLeft: result.lockLeft ?? false,
  };
}

function resultWords(flow: FlowName, state: TargetState): TargetResult {
  if (state === "failed") return "failed";
  if (state === "not-started") return "not started";
  if (!SWITCHING.has(flow)) return state === "done" ? "ok" : "failed";
  return WORDS[state];
}

/**
 * A target's config before its host was reached: every layer merged and interpolated, with
 * `user` as configured (~/.ssh/config is not read). Values that cannot be interpolated (the
 * very mistake that may have stopped the run) are given as written.
 */
export function plannedConfig(keys: KeySpecs, plan: RunPlan, index: number): Readonly<Record<string, unknown>> {
  const target = plan.targets[index]!;
  const layers = [...plan.baseLayers, ...target.layers, plan.cliLayer];
  // planRun merged each target's layers already, in the targets' order.
  const merged = plan.merged[index]!.values;
  const address = { hostname: target.host, port: Number(merged.port ?? 22), user: String(merged.user ?? "") };
  try {
    return resolveConfig(keys, [...layers, runtimeLayer(target, address, undefined, undefined)]).values;
  } catch {
    return merged;
  }
}
