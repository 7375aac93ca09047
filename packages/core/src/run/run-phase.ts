import pLimit from "p-limit";
import type { HostContext } from "../context.js";
import { FapError, formatFapError, isFapError } from "../errors.js";
import type { FapEvents } from "../events.js";
import type { Hooks, HostHookName } from "../hooks/hooks.js";
import { withActor } from "../hooks/_active-tap.js";
import { deferredOf, withinFrame } from "./host-run-state.js";
import { CORE_PLUGIN_NAME } from "../core-plugin.js";
import { hostsOfRun } from "./host-of-run.js";

export interface HostFailure {
  host: string;
  /** The target that failed, when known: one host may serve several targets of a run. */
  stage?: string | undefined;
  role?: string | undefined;
  phase: string;
  error: FapError;
}

/** The failure of `ctx`'s own target, if it failed. */
export function failureOf(failures: readonly HostFailure[], ctx: HostContext): HostFailure | undefined {
  return failures.find((f) => isTargetOf(f, ctx));
}

export function isTargetOf(failure: HostFailure, ctx: HostContext): boolean {
  return failure.host === ctx.host && (failure.stage ?? ctx.stage) === ctx.stage && (failure.role ?? ctx.role) === ctx.role;
}

/**
 * Calls one host hook on every host, at most `parallel` at a time, and returns when all are
 * done: phases are barriers. Once more hosts failed than `tolerate`, no further host is started.
 */
export async function runPhase(
  hooks: Hooks,
  events: FapEvents,
  phase: HostHookName,
  contexts: readonly HostContext[],
  parallel: number,
  signal?: AbortSignal,
  tolerate = 0,
): Promise<HostFailure[]> {
  return runStep(events, phase, contexts, parallel, signal, (ctx) => hooks[phase].promise(ctx), tolerate);
}

/**
 * One barrier step (a hook, or a task) on every host, with `phase` and `host-phase` events
 * so reporters can time each host and show which are still working.
 */
export async function runStep(
  events: FapEvents,
  phase: string,
  contexts: readonly HostContext[],
  parallel: number,
  signal: AbortSignal | undefined,
  work: (ctx: HostContext) => Promise<unknown>,
  /** Failures after which hosts still go on being started (--max-failed); by default none. */
  tolerate = 0,
): Promise<HostFailure[]> {
  const flow = contexts[0]?.flow ?? "deploy";
  const started = Date.now();
  events.emit("phase", { flow, phase, state: "start", hosts: contexts.length });
  const limit = pLimit(Math.max(1, parallel));
  const failures: HostFailure[] = [];

  const runOne = async (ctx: HostContext): Promise<boolean | undefined> => {
    if (failures.length > tolerate) return undefined;
    if (signal?.aborted) {
      failures.push({ host: ctx.host, stage: ctx.stage, role: ctx.role, phase, error: interruptedError(signal) });
      return false;
    }
    const hostStarted = Date.now();
    events.emit("host-phase", { flow, phase, host: ctx.host, stage: ctx.stage, role: ctx.role, state: "start" });
    let ok = true;
    try {
      // The phase is the host's, not the run's: steps of a parallel() task run at once.
      await withinFrame(ctx, { phase }, async () => {
        await work(ctx);
        await sendDeferred(ctx, phase);
      });
    } catch (error) {
      ok = false;
      failures.push({ host: ctx.host, stage: ctx.stage, role: ctx.role, phase, error: asFapError(error, ctx.host) });
    }
    events.emit("host-phase", { flow, phase, host: ctx.host, stage: ctx.stage, role: ctx.role, state: "end", ok, durationMs: Date.now() - hostStarted });
    return ok;
  };

  // The targets of one host of the run share its release: they take the step one after the
  // other, in config order, in one slot of `parallel`, and stop at the first that fails.
  const runUnit = async (unit: readonly HostContext[]): Promise<void> => {
    for (const ctx of unit) if ((await runOne(ctx)) === false) return;
  };
  await Promise.all(hostsOfRun(contexts).map((unit) => limit(() => runUnit(unit))));

  events.emit("phase", { flow, phase, state: "end", durationMs: Date.now() - started, hosts: contexts.length });
  // In the config's order, not the order they failed in: the same failure reads the same every time.
  const order = (f: HostFailure) => contexts.findIndex((ctx) => isTargetOf(f, ctx));
  return failures.sort((a, b) => order(a) - order(b));
}

/**
 * In a deploy's preparation, a command sent with `defer` waits for the host's next command,
 * even one of a later phase; by the end of `updated` (and of any other step) it has gone out.
 */
const CARRIED_OVER: ReadonlySet<string> = new Set(["starting", "started", "updating"]);

async function sendDeferred(ctx: HostContext, phase: string): Promise<void> {
  if (ctx.flow === "deploy" && CARRIED_OVER.has(phase)) return;
  if ((deferredOf(ctx)?.size ?? 0) > 0) await withActor(ctx, CORE_PLUGIN_NAME, () => ctx.run(":"));
}

/**
 * The error a run stops with after Ctrl-C (SIGINT) or SIGTERM: the signal's name is the abort
 * reason. No hint of its own: what the hosts hold, and so what to do, is the flow's to say.
 */
export function interruptedError(signal: AbortSignal): FapError {
  const name = typeof signal.reason === "string" ? signal.reason : "SIGINT";
  return new FapError("E_INTERRUPTED", `interrupted by ${name}`, {
    details: { exitCode: name === "SIGTERM" ? 143 : 130 },
  });
}

export function asFapError(error: unknown, host?: string): FapError {
  if (isFapError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FapError("E_PLUGIN", message, { cause: error, host });
}

/**
 * One error for the whole run, naming each host that failed and where. Hosts that failed the
 * same way are listed together, with the message once: each host's error is printed without
 * its host (it is named in front), from its fields, so nothing is cut out of text.
 */
export function failureError(flow: string, failures: readonly HostFailure[], note: string): FapError {
  const first = failures[0];
  const codes = new Set(failures.map((f) => f.error.code));
  const code = codes.size === 1 && first ? first.error.code : "E_DEPLOY_FAILED";
  const hosts = failures.length === 1 ? "1 host" : `${failures.length} hosts`;
  const groups = new Map<string, HostFailure[]>();
  for (const failure of failures) {
    const key = `${failure.phase}\0${formatFapError(failure.error, { host: false })}`;
    groups.set(key, [...(groups.get(key) ?? []), failure]);
  }
  const what = [...groups.values()]
    .map((group) => `${group.map((f) => f.host).join(", ")} (${group[0]!.phase}): ${formatFapError(group[0]!.error, { host: false })}`)
    .join("; ");
  return new FapError(code, `${flow} failed on ${hosts}: ${what}`, {
    cause: first?.error,
    hint: [...new Set([first?.error.hint, note].filter(Boolean))].join("; ") || undefined,
    details: { failures: failures.map((f) => failureFields(f)) },
  });
}

/** A host's failure as --json gives it: where it happened as fields, the message plain. */
function failureFields(failure: HostFailure): Record<string, unknown> {
  const { error } = failure;
  return {
    host: failure.host,
    ...(failure.stage === undefined ? {} : { stage: failure.stage, role: failure.role }),
    phase: failure.phase,
    code: error.code,
    message: error.message,
    ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
    ...(error.hook === undefined ? {} : { hook: error.hook }),
  };
}
