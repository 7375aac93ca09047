/** Options Fapistrano users write before the command (`fap -d deploy.yml release -s production`). */
const WITH_VALUE: Readonly<Record<string, string>> = {
  "-d": "--deployfile",
  "--deployfile": "--deployfile",
  "-c": "--config",
  "--config": "--config",
  "-s": "--stage",
  "--stage": "--stage",
  "-r": "--role",
  "--role": "--role",
};
const FLAGS: Readonly<Record<string, string>> = { "--debug": "--debug", "-v": "--verbose", "--verbose": "--verbose" };

/**
 * Moves the common options written before the command to just after it (after `run`'s task),
 * in their long form, so `-c FILE` stays the config file even before `once`, whose -c is the
 * command. Anything else is left as it is, for commander to judge.
 */
export function leadingOptionsAfterCommand(argv: readonly string[]): string[] {
  const moved: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const long = WITH_VALUE[name];
    if (long !== undefined) {
      const value = eq < 0 ? argv[i + 1] : arg.slice(eq + 1);
      if (value === undefined) return [...argv];
      moved.push(long, value);
      i += eq < 0 ? 2 : 1;
    } else if (FLAGS[arg] !== undefined) {
      moved.push(FLAGS[arg]!);
      i += 1;
    } else break;
  }
  const command = argv[i];
  if (moved.length === 0 || command === undefined || command.startsWith("-")) return [...argv];
  const rest = argv.slice(i + 1);
  const task = command === "run" && rest[0] !== undefined && !rest[0].startsWith("-") ? [rest.shift()!] : [];
  return [command, ...task, ...moved, ...rest];
}
