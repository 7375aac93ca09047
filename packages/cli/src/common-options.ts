import type { Command } from "commander";

export interface CommonOptions {
  stage?: string;
  role?: string;
  config?: string;
  deployfile?: string;
  set: string[];
  dryRun?: boolean;
  acceptNewHostKeys?: boolean;
  parallel?: string;
  batch?: string;
  batchWait?: string;
  maxFailed?: string;
  align?: boolean;
  to?: string;
  lockWait?: string;
  verbose?: boolean;
  debug?: boolean;
  hosts?: string[];
  excludeHosts?: string[];
}

/**
 * The options of every command that reads the config: which file, values for its keys, stack
 * traces. Unknown `--some-key=value` options pass through to cli-values.ts, which takes any key
 * core, a plugin or the config file knows.
 */
export function withConfigOptions(command: Command, { configShort = true } = {}): Command {
  return command
    .option(configShort ? "-c, --config <file>" : "--config <file>", "config file (default: deploy.config.ts, deploy.yml, ... here)")
    .option("-d, --deployfile <file>", "config file, as Fapistrano's fap called it")
    .option("--set <key=value>", "set a config key (repeatable; --some-key=value works too)", (value: string, all: string[]) => [...all, value], [])
    .option("--debug", "show stack traces")
    .allowUnknownOption()
    .allowExcessArguments();
}

/** The options every command that touches hosts takes: which hosts, and how to reach them. */
export function withCommonOptions(command: Command, { configShort = true } = {}): Command {
  command
    .option("-s, --stage <stage>", "stage to work on")
    .option("-r, --role <role>", "role to work on (default: every role of the stage)")
    .option("--hosts <hosts>", "only these hosts of the stage/role (comma-separated, repeatable)", collect)
    .option("--exclude-hosts <hosts>", "not these hosts (comma-separated, repeatable)", collect);
  return withConfigOptions(command, { configShort })
    .option("--accept-new-host-keys", "store host keys not yet in known_hosts (changed keys are still refused)")
    .option("--parallel <n>", "hosts worked on at once (default: the parallel key, 10)");
}

/** Options of the commands that run something on hosts: run, release, deploy, rollback, restart, once. */
export function withRunOptions(command: Command): Command {
  return command.option("--dry-run", "print the commands each host would run; change nothing").option("-v, --verbose", "show every command sent to a host");
}

/** Deploy publishes, and restart restarts, in rolling batches. */
export function withBatchOptions(command: Command): Command {
  return command
    .option("--batch <n|n%>", "deploy, restart: publish (once all are prepared) or restart in rolling batches of n hosts (or n% of them)")
    .option("--batch-wait <seconds>", "deploy, restart: pause between batches");
}

/** Only the deploy flow tolerates failed hosts. */
export function withDeployOptions(command: Command): Command {
  return withBatchOptions(command).option("--max-failed <n>", "deploy: go on with the other hosts when up to n fail before publishing (the run still fails)");
}

/** Only the rollback flow chooses a release per host. */
export function withRollbackOptions(command: Command): Command {
  return command
    .option("--align", "rollback: when hosts would go back to different releases, send all to the newest one every host holds in good state")
    .option("--to <release|revision>", "rollback: send every host to this release id, or to its release of this revision (each must hold it in good state)");
}

/** The runs that take the deploy lock may wait for another run's. */
export function withLockWaitOption(command: Command): Command {
  return command.option("--lock-wait <seconds>", "deploy, rollback: wait up to this long for another run's lock instead of failing at once");
}

function collect(value: string, all: string[] | undefined): string[] {
  return [...(all ?? []), value];
}
