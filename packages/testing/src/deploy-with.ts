import { Redactor, type ConfigValues, type FapConfig, type FapInstance, type FapPlugin, type FlowResult } from "@fap/core/internal";
import { composeRun, runNamed } from "@fap/cli/run";
import { SshConnector } from "@fap/ssh";
import type { TestHosts } from "./types.js";

/** What `plugins` may hold: plugin objects (call your factory), nested lists, falsy entries to skip. */
export type PluginInput = FapPlugin | false | null | undefined | readonly PluginInput[];

export interface DeployWithOptions {
  /** The plugins under test, as in deploy.config.ts: `[myPlugin({ ... })]`. */
  plugins?: readonly PluginInput[];
  /**
   * The config, as deploy.config.ts would export it (`tasks` included), without `plugins`. Defaults: `app_name`
   * "app", `path` "/srv/www/%(app_name)s" (under the hosts' mount point, so each host has its
   * own), and one stage `test` with one role `app` holding every test host by alias.
   */
  config?: ConfigValues & { stage_role_configs?: FapConfig["stage_role_configs"] };
  /** `-s`: defaults to the only stage of the config. */
  stage?: string;
  /** `-r`: defaults to every role of the stage. */
  role?: string;
  /** `--hosts`: only these hosts (aliases) of the stage/role. */
  hosts?: readonly string[];
  /** `--exclude-hosts`: not these hosts. */
  excludeHosts?: readonly string[];
  /** Values as the command line sets them (`--set key=value`, `--my-key=...`): the highest layer. */
  set?: Record<string, unknown>;
  dryRun?: boolean;
  /** `--parallel`: hosts worked on at once. */
  parallel?: number;
  /** `--batch`: publish in rolling batches of n hosts (2), or of a share of them ("50%"). */
  batch?: number | string;
  /** `--batch-wait`: seconds between batches. */
  batchWait?: number;
  /** `--max-failed`: hosts that may fail before publishing while the others go on (the run still fails). */
  maxFailed?: number;
  /** `--align` (rollback). */
  align?: boolean;
  /** `--json`: `stdout` holds fap's JSON events, one a line. */
  json?: boolean;
  /** `-q`: `stdout` holds only the summary. */
  quiet?: boolean;
  /** `-v`: `stdout` shows every command. */
  verbose?: boolean;
  /** Called with each line a person would see (commands, output, logs), e.g. `console.log` while debugging. */
  onOutput?: (line: string) => void;
}

export interface TestRun extends FlowResult {
  /** Every line a person would have seen: `host1 $ command`, `host1 | output`, `host1 message`. */
  output: string[];
  /** What `fap` would have printed on stdout with these options (people's lines, or --json's events), without colours. */
  stdout: string;
}

/**
 * Runs `fap run deploy` in-process, with your plugins, against the test hosts: the run is put
 * together and run by the code `fap` uses (@fap/cli's composeRun and runNamed), over real SSH
 * (@fap/ssh, with the hosts' throwaway HOME). Resolves when every host is on the new release;
 * rejects with the FapError fap would print.
 */
export function deployWith(testHosts: TestHosts, options: DeployWithOptions = {}): Promise<TestRun> {
  return runWith("deploy", testHosts, options);
}

/** `fap run rollback`, as deployWith runs a deploy. */
export function rollbackWith(testHosts: TestHosts, options: DeployWithOptions = {}): Promise<TestRun> {
  return runWith("rollback", testHosts, options);
}

/** `fap run restart`, as deployWith runs a deploy. */
export function restartWith(testHosts: TestHosts, options: DeployWithOptions = {}): Promise<TestRun> {
  return runWith("restart", testHosts, options);
}

/** `fap run NAME` for a task of your plugin (or of `config.tasks`), as deployWith runs a deploy. */
export function runTaskWith(testHosts: TestHosts, name: string, options: DeployWithOptions = {}): Promise<TestRun> {
  return runWith(name, testHosts, options);
}

async function runWith(name: string, testHosts: TestHosts, options: DeployWithOptions): Promise<TestRun> {
  const config = testConfig(testHosts, options);
  const redactor = new Redactor();
  const selection = { stage: options.stage ?? onlyStage(config), role: options.role, hosts: options.hosts, excludeHosts: options.excludeHosts };
  const { options: run, connector } = await composeRun({
    config,
    plugins: flatPlugins(options.plugins ?? []),
    selection,
    flags: {
      dryRun: options.dryRun,
      parallel: options.parallel,
      batch: options.batch,
      batchWait: options.batchWait,
      maxFailed: options.maxFailed,
      align: options.align,
      values: options.set,
    },
    redactor,
    connector: () => new SshConnector({ home: testHosts.home, agent: "none" }),
  });
  const output: string[] = [];
  listen(run.fap, (line) => {
    output.push(line);
    options.onOutput?.(line);
  });
  let stdout = "";
  const out = { write: (text: string) => (stdout += redactor.text(text)) };
  try {
    const result = await runNamed(name, run, {
      output: { ...selection, dryRun: options.dryRun, json: options.json, quiet: options.quiet, verbose: options.verbose },
      redactText: redactor.text,
      shown: redactor.error,
      stdout: out,
      env: {},
    });
    return { ...result, output, stdout };
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { stdout });
    throw error;
  } finally {
    await connector.close();
  }
}

function testConfig(testHosts: TestHosts, options: DeployWithOptions): FapConfig {
  const given = options.config ?? {};
  if ("plugins" in given) {
    throw new Error("deployWith: pass plugins as options.plugins, not in options.config");
  }
  const config: FapConfig = {
    app_name: "app",
    stage_role_configs: { test: { app: { hosts: testHosts.hosts.map((host) => host.alias) } } },
    ...given,
  } as FapConfig;
  if (config.path === undefined) config.path = defaultPath(testHosts);
  return config;
}

/** Under the hosts' mount point, so that every host deploys into a folder of its own. */
function defaultPath(testHosts: TestHosts): string {
  const path = "/srv/www/%(app_name)s";
  try {
    testHosts.hosts[0]?.local("/srv/www");
  } catch {
    throw new Error("deployWith: the hosts were started with another mountPoint than /srv; set config.path to a folder under it");
  }
  return path;
}

function onlyStage(config: FapConfig): string | undefined {
  const stages = Object.keys(config.stage_role_configs ?? {});
  return stages.length === 1 ? stages[0] : undefined;
}

function flatPlugins(entries: readonly PluginInput[]): FapPlugin[] {
  return entries.flatMap((entry): FapPlugin[] => {
    if (!entry) return [];
    if (Array.isArray(entry)) return flatPlugins(entry as readonly PluginInput[]);
    return [entry as FapPlugin];
  });
}

/** Lines as the human reporter shows them, without colours or timings. */
function listen(fap: FapInstance, print: (line: string) => void): void {
  fap.events.on("phase", (event) => {
    if (event.state === "start") print(`== ${event.phase}`);
  });
  fap.events.on("command", (event) => print(`${event.host} $ ${event.command}`));
  fap.events.on("output", (event) => {
    if (!event.quiet) print(`${event.host} | ${event.line}`);
  });
  fap.events.on("log", (event) => print(event.host === undefined ? event.message : `${event.host} ${event.message}`));
  fap.events.on("host-result", (event) => {
    if (!event.ok) print(`${event.host} failed${event.phase ? ` in ${event.phase}` : ""}: ${event.error ?? ""}`);
  });
}
