import { readFileSync } from "node:fs";
import { Command } from "commander";
import { endQuietlyOnClosedPipes } from "./closed-pipes.js";
import { withBatchOptions, withCommonOptions, withDeployOptions, withLockWaitOption, withRollbackOptions, withRunOptions, type CommonOptions } from "./common-options.js";
import { leadingOptionsAfterCommand } from "./leading-options.js";
import { addInspectCommands } from "./inspect-commands.js";
import { lazyAction } from "./lazy-action.js";
import { addLocalCommands } from "./local-commands.js";
import { withOutputOptions } from "./output-options.js";
import { guardUnfinished } from "./unfinished-guard.js";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/**
 * The `fap` command. Commands are declared here and their code is imported only when one
 * runs, so `fap --help` and `fap --version` load neither ssh2 nor the config loaders.
 */
export async function main(argv: readonly string[]): Promise<void> {
  endQuietlyOnClosedPipes();
  const program = new Command("fap")
    .description("Deploy releases over SSH: build a release on every host, switch `current` atomically, restart.")
    .version(VERSION, "-V, --version")
    .configureOutput({ writeErr: (text) => process.stderr.write(text), outputError: (text, write) => write(commanderError(text)) })
    .exitOverride()
    .addHelpText("after", "\n-d/--deployfile, -c/--config, -s/--stage, -r/--role, -v/--verbose and --debug may also come before the command,\nas with Fapistrano: fap -d deploy.yml release -s production. docs/cli.md describes every command.");

  // The commands that take --key=value: their --help lists the keys (see key-help.ts).
  const keyed = new Map<string, { command: Command; configShort: boolean }>();
  const runCommand = (name: string, description: string, scoped: Array<(c: Command) => Command>, configShort = true) => {
    let command = withRunOptions(withCommonOptions(program.command(name).description(description), { configShort }));
    for (const add of scoped) command = add(command);
    keyed.set(name, { command, configShort });
    return withOutputOptions(command);
  };
  const flowCommand = (name: string, flow: string, description: string, scoped: Array<(c: Command) => Command>) =>
    runCommand(name, description, scoped).action(async (options: CommonOptions, command: Command) => {
      await connectRemembered(options, command.args);
      const { runFlow } = await import("./commands/run-flow.js");
      await runFlow(flow, options, command.args);
    });

  runCommand("run", "run a flow or a task: deploy, rollback, restart, db:migrate, ...", [withDeployOptions, withRollbackOptions, withLockWaitOption])
    .argument("<task>", "deploy, rollback, restart, or a task (fap tasks lists them)")
    .action(async (flowOrTask: string, options: CommonOptions, command: Command) => {
      const { checkRunScope } = await import("./option-scope.js");
      const misplaced = checkRunScope(flowOrTask, options as unknown as Record<string, unknown>);
      if (misplaced) {
        const { FapError } = await import("@fap/core");
        throw new FapError("E_USAGE", misplaced.message, { hint: misplaced.hint });
      }
      if (FLOWS.includes(flowOrTask)) await connectRemembered(options, command.args.slice(1));
      const { runFlow } = await import("./commands/run-flow.js");
      await runFlow(flowOrTask, options, command.args.slice(1));
    });
  flowCommand("release", "deploy", "deploy a new release (same as: fap run deploy)", [withDeployOptions, withLockWaitOption]);
  flowCommand("deploy", "deploy", "deploy a new release (same as: fap run deploy)", [withDeployOptions, withLockWaitOption]);
  flowCommand("rollback", "rollback", "go back to the previous good release on every host", [withRollbackOptions, withLockWaitOption]);
  flowCommand("restart", "restart", "restart the application on every host", [withBatchOptions]);

  runCommand("once", "run one command in `current` on every selected host", [], false)
    .option("-c, --command <command>", "the command to run")
    .action(async (options: CommonOptions & { command?: string }, command: Command) => {
      const { runOnce } = await import("./commands/once.js");
      await runOnce(options.command, options, command.args);
    });

  withCommonOptions(program.command("shell").description("open an interactive shell in `current` on one host"))
    .option("--host <host>", "which host (default: the first selected)")
    .action(async (options: CommonOptions & { host?: string }, command: Command) => {
      const { runShell } = await import("./commands/shell.js");
      process.exitCode = await runShell(options.host, options, command.args);
    });

  withCommonOptions(program.command("status").description("show the release each host runs, its revision, and any lock"))
    .action(lazyAction(async () => (await import("./commands/status.js")).runStatus));

  withCommonOptions(program.command("unlock").description("free a deploy lock left by a run that is gone"))
    .option("--force", "do not ask for confirmation")
    .action(async (options: CommonOptions & { force?: boolean }, command: Command) => {
      const { runUnlock } = await import("./commands/unlock.js");
      await runUnlock(options.force ?? false, options, command.args);
    });

  addInspectCommands(program);
  addLocalCommands(program);

  const args = leadingOptionsAfterCommand(argv);
  const debug = args.includes("--debug");
  const guard = guardUnfinished(debug);
  try {
    const asksHelp = args.includes("--help") || args.includes("-h");
    const keyedCommand = asksHelp ? keyed.get(args[0] ?? "") : undefined;
    if (keyedCommand) {
      const { keyHelp } = await import("./key-help.js");
      keyedCommand.command.addHelpText("after", await keyHelp(args, keyedCommand.configShort, keyedCommand.command.options.flatMap((o) => o.long ?? [])));
    }
    await program.parseAsync(args, { from: "user" });
    guard.finished();
  } catch (error) {
    guard.finished();
    if (isCommanderExit(error)) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    // Loaded only now: it needs @fap/core, which `fap --help` should not pay for.
    const { exitCodeFor, printError } = await import("./print-error.js");
    printError(error, debug);
    process.exitCode = exitCodeFor(error);
  }
}

/** The built-in flows: each connects to every selected host (tasks may not). */
const FLOWS = ["deploy", "rollback", "restart"];

/** Before the run's own code loads: the hosts of the last run like this one (remembered-connect.ts). */
async function connectRemembered(options: CommonOptions, extraArgs: readonly string[]): Promise<void> {
  await (await import("./remembered-connect.js")).connectRemembered(options, extraArgs);
}

/** Commander's usage errors as fap prints errors: one `error:` line, one `hint:` line. */
export function commanderError(text: string): string {
  const [first = "", ...rest] = text.trim().split("\n");
  const suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join(" "))?.[1];
  return `${first}\nhint: ${suggestion === undefined ? "" : `did you mean ${suggestion}? `}fap --help lists the commands and options\n`;
}

function isCommanderExit(error: unknown): error is { exitCode: number; code: string } {
  return typeof error === "object" && error !== null && "code" in error && String((error as { code: unknown }).code).startsWith("commander.");
}
