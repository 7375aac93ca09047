/**
 * Options that mean something to one flow only. Elsewhere commander does not declare them (so
 * `--help` shows them only where they work), and a user who passes one anyway is told where
 * it belongs rather than that no such key exists.
 */
const SCOPED: Readonly<Record<string, { flow: string; commands: string }>> = {
  batch: { flow: "deploy", commands: "fap release, fap deploy, fap run deploy" },
  batch_wait: { flow: "deploy", commands: "fap release, fap deploy, fap run deploy" },
  max_failed: { flow: "deploy", commands: "fap release, fap deploy, fap run deploy" },
  align: { flow: "rollback", commands: "fap rollback, fap run rollback" },
};

/** Options of the commands that run something, refused with a pointer on the others (status, shell, ...). */
const RUN_ONLY: Readonly<Record<string, string>> = {
  dry_run: "fap run, release, deploy, rollback, restart and once",
  verbose: "fap run, release, deploy, rollback, restart and once",
  quiet: "fap run, release, deploy, rollback, restart and once",
  log: "fap run, release, deploy, rollback, restart and once",
};

export interface MisplacedOption {
  message: string;
  hint: string;
}

/** When `key` (snake_case) is an option of other commands: what to tell the user. */
export function misplacedOption(key: string): MisplacedOption | undefined {
  const flag = `--${key.replace(/_/g, "-")}`;
  const scoped = SCOPED[key];
  if (scoped) return { message: `${flag} applies to ${scoped.flow} only (${scoped.commands})`, hint: `leave ${flag} out of this command` };
  const commands = RUN_ONLY[key];
  if (commands) return { message: `${flag} is not an option of this command (only of ${commands})`, hint: `leave ${flag} out of this command` };
  return undefined;
}

/** `fap run TASK` declares every flow's options: refuses those TASK does not honour. */
export function checkRunScope(task: string, given: Readonly<Record<string, unknown>>): MisplacedOption | undefined {
  const names: Record<string, string> = { batch: "batch", batchWait: "batch_wait", maxFailed: "max_failed", align: "align" };
  for (const [option, key] of Object.entries(names)) {
    const scoped = SCOPED[key]!;
    if (given[option] !== undefined && scoped.flow !== task) return misplacedOption(key);
  }
  return undefined;
}
