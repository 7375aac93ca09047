import { batchSize, checkFlagSeconds, FapError, type Rollout } from "@fap/core/internal";

/** The flags of a run, as typed on the command line (numbers are taken too, for deployWith). */
export interface RunFlags {
  dryRun?: boolean | undefined;
  /** --parallel: hosts worked on at once. */
  parallel?: string | number | undefined;
  /** --batch: publish in rolling batches of n hosts, or "n%" of them. */
  batch?: string | number | undefined;
  /** --batch-wait: seconds between batches. */
  batchWait?: string | number | undefined;
  /** --max-failed: hosts that may fail before publishing while the others go on. */
  maxFailed?: string | number | undefined;
  /** --align: rollback sends diverged hosts to the newest release all hold. */
  align?: boolean | undefined;
  /** `--set key=value`, each as written. */
  set?: readonly string[] | undefined;
  /** `--some-key=value` and the like: the arguments after the command that are no fap flag. */
  args?: readonly string[] | undefined;
  /** Key values already typed (deployWith's `set`); they win over `set` and `args`. */
  values?: Record<string, unknown> | undefined;
}

const text = (value: string | number | undefined): string | undefined => (value === undefined ? undefined : String(value));

/** --parallel as a whole number above 0; undefined when not given. */
export function wholeParallel(value: string | number | undefined): number | undefined {
  const given = text(value);
  if (given === undefined) return undefined;
  const parallel = Number(given);
  if (!(given.trim() !== "" && Number.isInteger(parallel) && parallel > 0)) {
    throw new FapError("E_USAGE", `--parallel ${given}: expected a whole number above 0`, { hint: "e.g. --parallel 10" });
  }
  return parallel;
}

/** --batch, --batch-wait and --max-failed, checked before anything runs. */
export function rolloutOptions(flags: RunFlags): Rollout {
  const batch = text(flags.batch);
  const batchWait = text(flags.batchWait);
  const maxFailedText = text(flags.maxFailed);
  if (batch !== undefined) batchSize(batch, 1);
  const wait = batchWait === undefined ? undefined : checkFlagSeconds("--batch-wait", batchWait);
  let maxFailed: number | undefined;
  if (maxFailedText !== undefined) {
    maxFailed = Number(maxFailedText);
    if (maxFailedText.trim() === "" || !Number.isFinite(maxFailed) || maxFailed < 0) {
      throw new FapError("E_USAGE", `--max-failed ${maxFailedText}: expected a number of at least 0`, { hint: "e.g. --max-failed 1" });
    }
    if (!Number.isInteger(maxFailed)) {
      throw new FapError("E_USAGE", `--max-failed ${maxFailedText}: expected a whole number`, { hint: "e.g. --max-failed 1" });
    }
  }
  return { batch, batchWaitMs: wait === undefined ? undefined : wait * 1000, maxFailed };
}
