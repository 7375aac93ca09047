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
  verbose?: boolean;
  debug?: boolean;
  hosts?: string[];
  excludeHosts?: string[];
}

/** The options every command that touches hosts takes. */
export function withCommonOptions(command: Command, { configShort = true } = {}): Command {
  return command
    .option("-s, --stage <stage>", "stage to work on")
    .option("-r, --role <role>", "role to work on (default: every role of the stage)")
    .option("--hosts <hosts>", "only these hosts of the stage/role (comma-separated, repeatable)", collect)
    .option("--exclude-hosts <hosts>", "not these hosts (comma-separated, repeatable)", collect)
    .option(configShort ? "-c, --config <file>" : "--config <file>", "config file (default: deploy.config.ts, deploy.yml, ... here)")
    .option("-d, --deployfile <file>", "config file, as the seed's fap called it")
    .option("--set <key=value>", "set a config key (repeatable)", (value: string, all: string[]) => [...all, value], [])
    .option("--dry-run", "print the commands each host would run; run nothing")
    .option("--accept-new-host-keys", "store host keys not yet in known_hosts (changed keys are still refused)")
    .option("--parallel <n>", "hosts worked on at once (default: the parallel key, 10)")
    .option("--batch <n|n%>", "deploy: publish in rolling batches of n hosts (or n% of them) once all are prepared")
    .option("--batch-wait <seconds>", "deploy: pause between batches")
    .option("--max-failed <n>", "deploy: go on with the other hosts when up to n fail before publishing (the run still fails)")
    .option("--align", "rollback: when hosts would go back to different releases, send all to the newest one every host holds in good state")
    .option("-v, --verbose", "show every command sent to a host")
    .option("--debug", "show stack traces")
    .allowUnknownOption()
    .allowExcessArguments();
}

function collect(value: string, all: string[] | undefined): string[] {
  return [...(all ?? []), value];
}
