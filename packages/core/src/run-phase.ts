import pLimit from "p-limit";
import type { HostContext } from "./context.js";
import { FapError, isFapError } from "./errors.js";
import type { FapEvents } from "./events.js";
import type { Hooks, HostHookName } from "./hooks.js";

export interface HostFailure {
  host: string;
  phase: string;
  error: FapError;
}

/**
 * Calls one host hook on every host, at most `parallel` at a time, and returns when all are
 * done: phases are barriers. Once a host fails no further host is started in this phase.
 */
export async function runPhase(
  hooks: Hooks,
  events: FapEvents,
  phase: HostHookName,
  contexts: readonly HostContext[],
  parallel: number,
): Promise<HostFailure[]> {
  const flow = contexts[0]?.flow ?? "deploy";
  const started = Date.now();
  events.emit("phase", { flow, phase, state: "start", hosts: contexts.length });
  const limit = pLimit(Math.max(1, parallel));
  const failures: HostFailure[] = [];
  await Promise.all(
    contexts.map((ctx) =>
      limit(async () => {
        if (failures.length > 0) return;
        try {
          await hooks[phase].promise(ctx);
        } catch (error) {
          failures.push({ host: ctx.host, phase, error: asFapError(error, ctx.host) });
        }
      }),
    ),
  );
  events.emit("phase", { flow, phase, state: "end", durationMs: Date.now() - started, hosts: contexts.length });
  return failures;
}

export function asFapError(error: unknown, host?: string): FapError {
  if (isFapError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FapError("E_PLUGIN", host ? `${host}: ${message}` : message, { cause: error, host });
}

/** One error for the whole run, naming each host that failed and where; one shared code is kept. */
export function failureError(flow: string, failures: readonly HostFailure[], note: string): FapError {
  const first = failures[0];
  const codes = new Set(failures.map((f) => f.error.code));
  const code = codes.size === 1 && first ? first.error.code : "E_DEPLOY_FAILED";
  const hosts = failures.length === 1 ? "1 host" : `${failures.length} hosts`;
  const what = failures.map((f) => `${f.host} (${f.phase}): ${f.error.message}`).join("; ");
  return new FapError(code, `${flow} failed on ${hosts}: ${what}`, {
    cause: first?.error,
    hint: [...new Set([first?.error.hint, note].filter(Boolean))].join("; ") || undefined,
    details: { failures: failures.map((f) => ({ host: f.host, phase: f.phase, code: f.error.code, message: f.error.message })) },
  });
}
