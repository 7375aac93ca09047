import { FapError, openSession, sh, type ReleaseLogEntry } from "@fap/core/internal";
import type { CommonOptions } from "../common-options.js";
import { formatHistory } from "../history/format.js";
import { historyRuns, type HostLine } from "../history/runs.js";
import { lookAtHosts, writeJsonLines } from "../read-only-run.js";
import { colours } from "../style.js";

/** The whole log is read: it grows ~200 bytes a release, and history wants all of it. */
const LOG_BYTES = 64 * 1024 * 1024;

/** `fap history -s STAGE`: the deploys and rollbacks the selected hosts' release logs record. */
export async function runHistory(common: CommonOptions & { json?: boolean; limit?: string }, extraArgs: readonly string[]): Promise<void> {
  const limit = common.limit === undefined ? 20 : Number(common.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new FapError("E_USAGE", `--limit must be a whole number above 0, not ${common.limit}`, { hint: "fap history -s STAGE --limit 10" });
  }
  const lines = await lookAtHosts(common, extraArgs, async (options) => {
    const session = await openSession("status", options);
    // In the config's order, whichever host answers first.
    const perHost = await Promise.all(
      session.contexts.map(async (ctx): Promise<HostLine[]> => {
        const file = `${ctx.paths.meta}/releases.log`;
        const result = await ctx.run(sh`! test -f ${file} || cat ${file}`, { quiet: true, keepBytes: LOG_BYTES });
        return parseLines(result.stdout).map((entry) => ({ host: ctx.host, stage: ctx.stage, role: ctx.role, entry }));
      }),
    );
    return perHost.flat();
  });
  const runs = historyRuns(lines).slice(0, limit);
  const out = process.stdout;
  if (common.json) writeJsonLines(out, runs);
  else for (const line of formatHistory(runs, colours(out))) out.write(`${line}\n`);
}

/** Every line of a release log, in order; torn or foreign lines are skipped. */
function parseLines(text: string): ReleaseLogEntry[] {
  return text.split("\n").flatMap((line) => {
    try {
      const entry = JSON.parse(line) as ReleaseLogEntry;
      return typeof entry.id === "string" && typeof entry.status === "string" ? [entry] : [];
    } catch {
      return [];
    }
  });
}
