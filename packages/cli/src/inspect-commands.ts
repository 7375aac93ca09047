import type { Command } from "commander";
import { withCommonOptions, withConfigOptions, type CommonOptions } from "./common-options.js";
import { lazyAction } from "./lazy-action.js";

/**
 * Commands that look at the config and the hosts: tasks, config, doctor, releases (and its
 * --mark-bad), history. Like the others, each imports its code only when it runs.
 */
export function addInspectCommands(program: Command): void {
  const tasks = withConfigOptions(program.command("tasks").description("list every task fap run knows: built-in, the plugins' and the config's"));
  listing(tasks, "task", async () => (await import("./commands/tasks.js")).runTasks);

  const config = withCommonOptions(program.command("config").description("show each selected host's resolved config, where each value came from (secrets as ***)"));
  listing(config.option("--host <host>", "only this host"), "host", async () => (await import("./commands/config.js")).runConfig);

  const doctor = withCommonOptions(program.command("doctor").description("check each host: connection, host key, deploy path, disk, lock, tools the plugins need, the plugins' own checks"));
  listing(doctor, "host", async () => (await import("./commands/doctor.js")).runDoctor);

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

  const history = withCommonOptions(program.command("history").description("list the deploys and rollbacks of a stage, newest first, from the hosts' release logs"));
  listing(history.option("--limit <n>", "only the newest N runs (default: 20)"), "run", async () => (await import("./commands/history.js")).runHistory);
}

/** A command that lists what it finds: `--json` prints one JSON object per `item`; its code is imported only when it runs. */
function listing<O>(command: Command, item: string, load: Parameters<typeof lazyAction<O>>[0]): void {
  command.option("--json", `one JSON object per ${item}`).action(lazyAction(load));
}
