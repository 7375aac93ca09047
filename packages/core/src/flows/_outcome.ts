import os from "node:os";
import type { HostContext, RunContext } from "../context.js";
import type { FlowName } from "../flow-name.js";
import { formatFapError, type FapError } from "../errors.js";
import type { FapEventMap } from "../events.js";
import type { OutcomeHookName } from "../hooks/hooks.js";
import { asFapError } from "../run/run-phase.js";
import type { RunSummary, TargetSummary } from "../run/run-summary.js";
import type { RunPlan } from "../run/plan.js";
import type { Session, SessionOptions } from "../run/session-types.js";
import { runContext } from "./_run.js";
import { plannedConfig, targetSummary } from "./_target-summary.js";

type HostResult = FapEventMap["host-result"][0];

/**
 * What one run came to, gathered while it runs: the plan and session as the flow makes them,
 * each target's `host-result` and its time in each phase, read from the very events the
 * summary table and `--json` are made of, so a notification never says other than fap did.
 */
export class RunOutcome {
  private readonly started = new Date();
  private readonly results = new Map<string, HostResult>();
  private readonly durations = new Map<string, Record<string, number>>();
  private plan: RunPlan | undefined;
  private session: Session | undefined;
  private readonly detach: () => void;

  constructor(
    private readonly options: SessionOptions,
    readonly flow: FlowName,
    readonly task?: string,
  ) {
    const events = options.fap.events;
    const onResult = (event: HostResult) => this.results.set(key(event), event);
    const onPhase = (event: FapEventMap["host-phase"][0]) => {
      if (event.state !== "end") return;
      const byPhase = this.durations.get(key(event)) ?? {};
      byPhase[event.phase] = (byPhase[event.phase] ?? 0) + (event.durationMs ?? 0);
      this.durations.set(key(event), byPhase);
    };
    events.on("host-result", onResult);
    events.on("host-phase", onPhase);
    this.detach = () => {
      events.off("host-result", onResult);
      events.off("host-phase", onPhase);
    };
  }

  /** The selected targets, known before connecting: what a run that fails early reports. */
  planned(plan: RunPlan): void {
    this.plan = plan;
  }

  /** The connected targets, with their resolved config. */
  opened(session: Session): void {
    this.session = session;
  }

  /** The run's RunContext: its hosts once they are connected, none before. */
  runContext(): RunContext {
    return runContext(this.options, this.flow, this.session, this.options.dryRun ?? false);
  }

  summary(error?: FapError): RunSummary {
    const redact = this.options.fap.events.redactor.text;
    const targets = this.targets(error);
    return {
      flow: this.flow,
      task: this.task,
      deployId: this.session?.deployId ?? this.options.deployId ?? "",
      dryRun: this.options.dryRun ?? false,
      ok: error === undefined,
      error: error === undefined ? undefined : { code: error.code, message: redact(error.message), hint: error.hint === undefined ? undefined : redact(error.hint) },
      deployer: os.userInfo().username,
      machine: os.hostname(),
      startedAt: this.started.toISOString(),
      durationMs: Date.now() - this.started.getTime(),
      targets,
    };
  }

  private targets(error: FapError | undefined): TargetSummary[] {
    const made = (found: { stage: string; role: string; host: string }, ctx: HostContext | undefined, config: Readonly<Record<string, unknown>>) =>
      targetSummary({
        flow: this.flow,
        target: found,
        ctx,
        config,
        result: this.results.get(key(found)),
        durations: this.durations.get(key(found)) ?? {},
        runError: error,
        redact: this.options.fap.events.redactor.text,
      });
    if (this.session) return this.session.contexts.map((ctx) => made(ctx, ctx, ctx.config));
    const plan = this.plan;
    if (!plan) return [];
    return plan.targets.map((target, i) => made(target, undefined, plannedConfig(this.options.fap.keys, plan, i)));
  }

  dispose(): void {
    this.detach();
  }
}

/**
 * Runs a flow and tells the outcome hooks what it came to, exactly once, whichever way it
 * ends (also when it fails before any host phase): `succeeded` or `failed`, then `completed`.
 * Their taps' errors are warnings: the run's result stays what the hosts hold.
 */
export async function withOutcome<T>(options: SessionOptions, flow: FlowName, body: (outcome: RunOutcome) => Promise<T>, task?: string): Promise<T> {
  const outcome = new RunOutcome(options, flow, task);
  let result: T;
  try {
    result = await body(outcome);
  } catch (thrown) {
    const error = asFapError(thrown);
    const summary = settle(outcome, error);
    await callHook(options, "failed", () => options.fap.hooks.failed.promise(error, outcome.runContext(), summary));
    await callHook(options, "completed", () => options.fap.hooks.completed.promise(summary, outcome.runContext()));
    throw thrown;
  }
  const summary = settle(outcome, undefined);
  await callHook(options, "succeeded", () => options.fap.hooks.succeeded.promise(summary, outcome.runContext()));
  await callHook(options, "completed", () => options.fap.hooks.completed.promise(summary, outcome.runContext()));
  return result;
}

/** The summary, emitted once as the `summary` event (without each target's config: it holds secrets unredacted). */
function settle(outcome: RunOutcome, error: FapError | undefined): RunSummary {
  const summary = outcome.summary(error);
  outcome.dispose();
  const { flow: _flow, task: _task, deployId: _id, targets, ...rest } = summary; // every --json line has these already
  outcome.runContext().events.emit("summary", { ...rest, targets: targets.map(({ config: _config, ...target }) => target) });
  return summary;
}

/** Calls one outcome hook; what its taps throw is a warning, never the run's error or exit code. */
async function callHook(options: SessionOptions, name: OutcomeHookName, call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (hookError) {
    const message = formatFapError(asFapError(hookError));
    options.fap.events.emit("log", { level: "warn", message: `a ${name} hook threw${name === "failed" ? " too" : ""}: ${message} (the run's result is unchanged)` });
  }
}

/** One target (stage.role.host): the key its `host-result` and `host-phase` events are read by. */
function key(target: { host: string; stage?: string | undefined; role?: string | undefined }): string {
  return `${target.stage ?? ""}\u0000${target.role ?? ""}\u0000${target.host}`;
}
