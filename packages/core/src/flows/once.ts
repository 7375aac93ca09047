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
  const failed = new Set<(typeof session.contexts)[number]>();
  await Promise.all(
    session.contexts.map((ctx) =>
      limit(async () => {
        try {
          const result = await ctx.run(command, { cwd: ctx.paths.current, allowFailure: true });
          if (result.exitCode !== 0) failed.add(ctx);
          options.fap.events.emit("host-result", { host: ctx.host, stage: ctx.stage, role: ctx.role, ok: result.exitCode === 0, error: result.exitCode === 0 ? undefined : `exit ${result.exitCode}` });
        } catch (error) {
          failed.add(ctx);
          options.fap.events.emit("host-result", { host: ctx.host, stage: ctx.stage, role: ctx.role, ok: false, error: formatFapError(asFapError(error, ctx.host), { host: false }) });
        }
      }),
    ),
  );
  // In the run's order, not the order the hosts failed in: the same run gives the same message.
  const failedHosts = session.contexts.filter((ctx) => failed.has(ctx)).map((ctx) => ctx.host);
  if (failedHosts.length > 0) {
    throw new FapError("E_COMMAND_FAILED", `the command failed on ${failedHosts.join(", ")}`, {
      details: { hosts: failedHosts },
    });
  }
  return { failedHosts };
}
