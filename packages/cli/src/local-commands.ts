import type { Command } from "commander";

/**
 * Commands that work on local files only and connect to no host: report (HTML from a saved
 * --json log) and init (a new config). Each imports its code only when it runs.
 */
export function addLocalCommands(program: Command): void {
  program
    .command("report")
    .description("write the HTML report of a run from its saved --json log")
    .argument("<log>", "the run's --json output, saved to a file (NDJSON)")
    .option("-o, --output <file>", "the HTML file to write")
    .action(async (log: string, options: { output?: string }) => {
      const { runReport } = await import("./commands/report.js");
      await runReport(log, options);
    });

  program
    .command("init")
    .description("write deploy.config.ts (or deploy.yml) here and add fap to package.json; asks, in a terminal, when given no flags")
    .option("--name <app>", "app name (default: package.json's name, or the folder's)")
    .option("--stages <list>", "stages, comma-separated (default: production)")
    .option("--roles <list>", "roles of each stage, comma-separated (default: web)")
    .option("--hosts <hosts>", "hosts, comma-separated, for every stage.role; or STAGE[.ROLE]=h1,h2 (repeatable)", (v: string, all: string[] = []) => [...all, v])
    .option("--plugins <list>", "plugins, comma-separated: git, curl, upload, node, pm2, systemd, virtualenv, supervisorctl, webpack-build, or package names")
    .option("--repo <url>", "git repository as the hosts reach it (git plugin; default: this folder's origin)")
    .option("--path <path>", "deploy path on the hosts (default: /home/<user>/www/<app_name>)")
    .option("--yaml", "write deploy.yml in Fapistrano's format instead of deploy.config.ts")
    .option("-y, --yes", "ask nothing: take defaults for what the flags leave out")
    .option("--force", "overwrite an existing config")
    .action(async (options: import("./commands/init.js").InitOptions) => {
      const { runInit } = await import("./commands/init.js");
      await runInit(options);
    });
}
