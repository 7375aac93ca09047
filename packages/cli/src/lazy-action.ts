import type { Command } from "commander";

/**
 * A subcommand's action that imports the command's code only when it runs: `fap --help` and
 * every other command load none of it.
 */
export function lazyAction<O>(load: () => Promise<(options: O, args: readonly string[]) => Promise<unknown>>): (options: O, command: Command) => Promise<void> {
  return async (options, command) => {
    const run = await load();
    await run(options, command.args);
  };
}
