import { FapError, openSession, sh } from "@fap/core/internal";
import type { CommonOptions } from "../common-options.js";
import { prepareRun, warnOnStderr } from "../session-options.js";

/** `fap shell`: an interactive shell in `current` on one host (the first selected, or --host). */
export async function runShell(host: string | undefined, common: CommonOptions, extraArgs: readonly string[]): Promise<number> {
  const { options, connector } = await prepareRun(common, extraArgs, warnOnStderr);
  try {
    const session = await openSession("once", options);
    const ctx = host === undefined ? session.contexts[0] : session.contexts.find((c) => c.host === host);
    if (!ctx) {
      throw new FapError("E_USAGE", `host '${host}' is not in the selection`, {
        hint: `hosts: ${session.contexts.map((c) => c.host).join(", ")}`,
      });
    }
    if (!ctx.remote.shell) throw new FapError("E_USAGE", "this connection cannot open a shell");
    return await ctx.remote.shell({
      command: `${sh`cd ${ctx.paths.current}`} 2>/dev/null; exec "\${SHELL:-/bin/sh}" -l`,
      stdin: process.stdin,
      stdout: process.stdout,
      rows: process.stdout.rows,
      columns: process.stdout.columns,
    });
  } finally {
    await connector.close();
  }
}
