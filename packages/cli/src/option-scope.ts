/**
 * Options that mean something to one flow only. Elsewhere commander does not declare them (so
 * `--help` shows them only where they work), and a user who passes one anyway is told where
 * it belongs rather than that no such key exists.
 */
const DEPLOY = "fap release, fap deploy, fap run deploy";
const SCOPED: Readonly<Record<string, { flows: readonly string[]; commands: string }>> = {
  batch: { flows: ["deploy", "restart"], commands: `${DEPLOY}, fap restart, fap run restart` },
  batch_wait: { flows: ["deploy", "restart"], commands: `${DEPLOY}, fap restart, fap run restart` },
  max_failed: { flows: ["deploy"], commands: DEPLOY },
  align: { flows: ["rollback"], commands: "fap rollback, fap run rollback" },
  to: { flows: ["rollback"], commands: "fap rollback, fap run rollback" },
  lock_wait: { flows: ["deploy", "rollback"], commands: `${DEPLOY}, fap rollback, fap run rollback, fap releases --mark-bad` },
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
  // Own keys only: `--constructor` must not find Object.prototype's.
  const scoped = Object.hasOwn(SCOPED, key) ? SCOPED[key] : undefined;
  if (scoped) return { message: `${flag} applies to ${scoped.flows.join(" and ")} only (${scoped.commands})`, hint: `leave ${flag} out of this command` };
  const commands = Object.hasOwn(RUN_ONLY, key) ? RUN_ONLY[key] : undefined;
  if (commands) return { message: `${flag} is not an option of this command (only of ${commands})`, hint: `leave ${flag} out of this command` };
  return undefined;
}

/** `fap run NAME` declares every flow's options: refuses those the flow or task NAME does not honour. */
export function checkRunScope(flowOrTask: string, given: Readonly<Record<string, unknown>>): MisplacedOption | undefined {
  const names: Record<string, string> = { batch: "batch", batchWait: "batch_wait", maxFailed: "max_failed", align: "align", to: "to", lockWait: "lock_wait" };
  for (const [option, key] of Object.entries(names)) {
    const scoped = SCOPED[key]!;
    if (given[option] !== undefined && !scoped.flows.includes(flowOrTask)) return misplacedOption(key);
  }
  return undefined;
}
