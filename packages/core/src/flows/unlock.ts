import { breakLockCommand } from "../lock/lock-commands.js";
import { openSession } from "../run/session.js";
import { type SessionOptions } from "../run/session-types.js";
import { cleanUp } from "./_run.js";

/**
 * Frees the deploy lock on every selected host, whoever holds it (`fap unlock`). Its own flow:
 * it reads no state and takes no lock, and the hosts' contexts say `unlock`, not `once`.
 */
export async function unlock(options: SessionOptions): Promise<void> {
  const session = await openSession("unlock", options);
  await cleanUp(options.fap, session.contexts, (ctx) => breakLockCommand(ctx.paths));
}
