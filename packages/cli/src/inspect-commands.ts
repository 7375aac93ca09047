import type { Command } from "commander";
import { withCommonOptions, withConfigOptions, type CommonOptions } from "./common-options.js";
import { lazyAction } from "./lazy-action.js";

/**
 * Commands that look at the config and the hosts: tasks, config, doctor, releases (and its
 * --mark-bad), history. Like the others, each imports its code only when it runs.
 */
export function addInspectCommands(program: Command): void {
  withConfigOptions(program.command("tasks").description("list every task fap run knows: built-in, the plugins' and the config's"))
    .option("--json", "one JSON object per task")
    .action(lazyAction(async () => (await import("./commands/tasks.js")).runTasks));

  withCommonOptions(program.command("config").description("show each selected host's resolved config, where each value came from (secrets as ***)"))
    .option("--host <host>", "only this host")
    .option("--json", "one JSON object per host")
    .action(lazyAction(async () => (await import("./commands/config.js")).runConfig));

  withCommonOptions(program.command("doctor").description("check each host: connection, host key, deploy path, disk, lock, tools the plugins need, the plugins' own checks"))
    .option("--json", "one JSON object per host")
    .action(lazyAction(async () => (await import("./commands/doctor.js")).runDoctor));

  withCommonOptions(program.command("releases").description("list the releases on each host: status, revision, user, time, which is current"))
    .option("--json", "one JSON object per release")
    .option("--mark-bad <release>", "mark this release bad on every selected host holding it: no rollback will choose it")
    .option("--lock-wait <seconds>", "with --mark-bad: wait up to this long for another run's lock instead of failing at once")
    .action(async (options: CommonOptions & { json?: boolean; markBad?: string }, command: Command) => {
      if (options.markBad !== undefined) {
        const { runMarkBad } = await import("./commands/mark-bad.js");
        return runMarkBad(options.markBad, options, command.args);
      }
      if (options.lockWait !== undefined) {
        const { FapError } = await import("@fap/core");
        throw new FapError("E_USAGE", "--lock-wait applies only with --mark-bad here (listing takes no lock)", { hint: "leave --lock-wait out" });
      }
      const { runReleases } = await import("./commands/releases.js");
      await runReleases(options, command.args);
    });

  withCommonOptions(program.command("history").description("list the deploys and rollbacks of a stage, newest first, from the hosts' release logs"))
    .option("--limit <n>", "only the newest N runs (default: 20)")
    .option("--json", "one JSON object per run")
    .action(lazyAction(async () => (await import("./commands/history.js")).runHistory));
}
