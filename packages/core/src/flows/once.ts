import pLimit from "p-limit";
import { FapError, formatFapError } from "../errors.js";
import { asFapError } from "../run/run-phase.js";
import { openSession } from "../run/session.js";
import { type SessionOptions } from "../run/session-types.js";

/**
 * Runs one command the user typed in `current` on every selected host; each host's output is
 * reported as it comes. Fails (after all hosts ran) if any host's command failed.
 */
export async function once(options: SessionOptions, command: string): Promise<{ failedHosts: string[] }> {
  const session = await openSession("once", options);
  const limit = pLimit(session.parallel);
  const errors = await Promise.all(
    session.contexts.map((ctx) =>
      limit(async (): Promise<string | undefined> => {
        try {
          const result = await ctx.run(command, { cwd: ctx.paths.current, allowFailure: true });
          return result.exitCode === 0 ? undefined : `exit ${result.exitCode}`;
        } catch (error) {
          return formatFapError(asFapError(error, ctx.host), { host: false });
        }
      }),
    ),
  );
  // Once every host ran, in the run's order, as the other flows do: the summary table's rows and
  // the error's list of hosts must not depend on which host's command ended first.
  session.contexts.forEach((ctx, i) =>
    options.fap.events.emit("host-result", { host: ctx.host, stage: ctx.stage, role: ctx.role, ok: errors[i] === undefined, error: errors[i] }),
  );
  const failedHosts = session.contexts.filter((_, i) => errors[i] !== undefined).map((ctx) => ctx.host);
  if (failedHosts.length > 0) {
    throw new FapError("E_COMMAND_FAILED", `the command failed on ${failedHosts.join(", ")}`, {
      details: { hosts: failedHosts },
    });
  }
  return { failedHosts };
}
