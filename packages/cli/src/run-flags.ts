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
  /** --to: the release id or revision a rollback sends every host to. */
  to?: string | undefined;
  /** --lock-wait: seconds to wait for another run's lock. */
  lockWait?: string | number | undefined;
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

/** --to and --lock-wait, checked before anything runs; --to names the release, so --align (which picks one) cannot come with it. */
export function lockAndTargetOptions(flags: RunFlags): { rollbackTo?: string; lockWaitMs?: number } {
  const lockWait = text(flags.lockWait);
  const seconds = lockWait === undefined ? undefined : checkFlagSeconds("--lock-wait", lockWait);
  if (flags.to !== undefined && flags.align) {
    throw new FapError("E_USAGE", "--to and --align cannot be used together: --to names the release every host goes to", {
      hint: "leave out --align; with --to every host must hold that release",
    });
  }
  if (flags.to !== undefined && flags.to.trim() === "") throw new FapError("E_USAGE", "--to needs a release id or a revision", { hint: "fap releases -s STAGE lists them" });
  return { ...(flags.to === undefined ? {} : { rollbackTo: flags.to.trim() }), ...(seconds === undefined ? {} : { lockWaitMs: seconds * 1000 }) };
}
