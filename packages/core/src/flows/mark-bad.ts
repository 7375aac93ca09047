import { releaseLockCommand } from "../lock/lock-commands.js";
import { appendLogCommand } from "../shell/release.js";
import type { HostContext } from "../context.js";
import { FapError } from "../errors.js";
import { openSession } from "../run/session.js";
import { type SessionOptions } from "../run/session-types.js";
import { undoAndUnlock } from "./_undo.js";

export interface MarkBadResult {
  /** Hosts that hold the release and now have it marked `bad`. */
  marked: string[];
  /** Of those, the hosts where it is `current`: it stays live until a deploy or rollback leaves it. */
  live: string[];
  /** Hosts that do not hold it: nothing was written there. */
  absent: string[];
}

/**
 * `fap releases --mark-bad ID`: appends a `bad` line for release ID to the release log of every
 * selected host that holds it, under the deploy lock (taken in the read, as a deploy does), so
 * no rollback, `rollback --to` or keep_releases count ever chooses it again. A live release
 * may be marked: it stays live (fap never switches by itself), and the caller says so.
 */
export async function markBad(options: SessionOptions, id: string): Promise<MarkBadResult> {
  const session = await openSession("mark-bad", options);
  const holds = (ctx: HostContext) => ctx.before.releases.includes(id);
  const hosts = (list: HostContext[]) => [...new Set(list.map((ctx) => ctx.host))];
  const mark = (ctx: HostContext) =>
    holds(ctx) ? appendLogCommand(ctx.paths, { id, status: "bad", time: new Date().toISOString(), user: ctx.deployer, deploy: ctx.deployId }) : undefined;
  const done = await undoAndUnlock(options.fap, session.contexts, mark, (ctx, first) => releaseLockCommand(ctx.paths, ctx.deployId, first, ctx.before.made));
  const failed = session.contexts.filter((ctx) => !done.get(ctx)?.ok);
  if (failed.length > 0) {
    const why = failed.map((ctx) => `${ctx.host}: ${done.get(ctx)?.reason ?? "unknown"}`).join("; ");
    throw new FapError("E_COMMAND_FAILED", `could not mark ${id} bad on every host (${why})`, {
      hint: "run it again once every host can be reached; a host where the lock was left needs fap unlock -s STAGE",
    });
  }
  const marked = session.contexts.filter(holds);
  if (marked.length === 0) {
    const list = session.contexts.map((ctx) => `${ctx.host}: ${ctx.before.releases.length === 0 ? "no release" : ctx.before.releases.join(", ")}`).join("; ");
    throw new FapError("E_RELEASE_NOT_FOUND", `no selected host holds release ${id} (${list})`, {
      hint: "fap releases -s STAGE lists the release ids each host holds",
    });
  }
  return {
    marked: hosts(marked),
    live: hosts(marked.filter((ctx) => ctx.before.current === id)),
    absent: hosts(session.contexts.filter((ctx) => !holds(ctx))),
  };
}
