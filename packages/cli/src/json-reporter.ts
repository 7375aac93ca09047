import type { FapEventMap, FapEvents } from "@fap/core/internal";
import { isFapError } from "@fap/core/internal";
import type { Output } from "./human-reporter.js";

export interface JsonReporterOptions {
  out: Output;
  deployId: string;
  /** `deploy`, `rollback`, `restart`, `once`, `task`. */
  flow: string;
  /** The task's name, for `fap run NAME` of a task. */
  task?: string | undefined;
  /** Hides secrets in the text of the final error's per-host failures. */
  redact?: (text: string) => string;
  now?: () => Date;
}

interface RunStart {
  stage?: string | undefined;
  role?: string | undefined;
  /** The config's app_name, when it has one. */
  app?: string | undefined;
  dryRun: boolean;
  version: string;
}

export interface JsonReporter {
  start(run: RunStart): void;
  /** The last line: how the run ended; `error` already redacted. */
  end(error?: unknown): void;
}

/** Event types written as they are (see docs/events.md). */
const TYPES = ["phase", "host-phase", "command", "output", "command-end", "log", "canary", "host-result", "summary"] as const satisfies ReadonlyArray<keyof FapEventMap>;

/**
 * `--json`: one JSON object per line on stdout, nothing else. Each has `type`, `time` (ISO),
 * `deploy` (the run's id) and `flow`, then the event's fields. Core redacts secrets before
 * emitting; errors at the end are redacted by the caller.
 */
export function attachJsonReporter(events: FapEvents, options: JsonReporterOptions): JsonReporter {
  const now = options.now ?? (() => new Date());
  const started = now().getTime();
  const base = () => ({ time: now().toISOString(), deploy: options.deployId, flow: options.flow, ...(options.task ? { task: options.task } : {}) });
  const write = (type: string, fields: object) => options.out.write(`${JSON.stringify({ type, ...base(), ...fields })}\n`);
  for (const type of TYPES) {
    events.on(type, (event: object) => {
      // The event's own `flow` (the phase's) must not replace the run's.
      const { flow: _flow, ...fields } = event as { flow?: unknown };
      write(type, fields);
    });
  }
  return {
    start(run) {
      write("run", { state: "start", stage: run.stage ?? null, role: run.role ?? null, ...(run.app ? { app: run.app } : {}), dryRun: run.dryRun, fap: run.version });
    },
    end(error) {
      const durationMs = now().getTime() - started;
      if (error === undefined) write("run", { state: "end", ok: true, durationMs });
      else write("run", { state: "end", ok: false, durationMs, error: errorFields(error, options.redact ?? ((t) => t)) });
    },
  };
}

function errorFields(error: unknown, redact: (text: string) => string): Record<string, unknown> {
  if (isFapError(error)) {
    const failures = Array.isArray(error.details.failures)
      ? (error.details.failures as Array<Record<string, unknown>>).map((f) => ({ ...f, message: redact(String(f.message ?? "")) }))
      : undefined;
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.host ? { host: error.host } : {}),
      ...(error.plugin ? { plugin: error.plugin } : {}),
      ...(error.hook ? { hook: error.hook } : {}),
      ...(failures ? { failures } : {}),
    };
  }
  return { code: "E_INTERNAL", message: error instanceof Error ? error.message : String(error) };
}
