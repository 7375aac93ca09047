import {
  createFap,
  deploy,
  resolveSecrets,
  restart,
  rollback,
  runTask,
  type ConfigValues,
  type FapConfig,
  type FapInstance,
  type FapPlugin,
  type FlowResult,
  type SessionOptions,
} from "@fap/core";
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
  /** Values as the command line sets them (`--set key=value`, `--my-key=...`): the highest layer. */
  set?: Record<string, unknown>;
  dryRun?: boolean;
  /** Called with each line a person would see (commands, output, logs), e.g. `console.log` while debugging. */
  onOutput?: (line: string) => void;
}

export interface TestRun extends FlowResult {
  /** Every line a person would have seen: `host1 $ command`, `host1 | output`, `host1 message`. */
  output: string[];
}

/**
 * Runs `fap run deploy` in-process, with your plugins, against the test hosts: the real core
 * flow over real SSH (@fap/ssh, with the hosts' throwaway HOME), as the `fap` binary does it.
 * Resolves when every host is on the new release; rejects with the FapError fap would print.
 */
export function deployWith(testHosts: TestHosts, options: DeployWithOptions = {}): Promise<TestRun> {
  return runWith(deploy, testHosts, options);
}

/** `fap run rollback`, as deployWith runs a deploy. */
export function rollbackWith(testHosts: TestHosts, options: DeployWithOptions = {}): Promise<TestRun> {
  return runWith(rollback, testHosts, options);
}

/** `fap run restart`, as deployWith runs a deploy. */
export function restartWith(testHosts: TestHosts, options: DeployWithOptions = {}): Promise<TestRun> {
  return runWith(restart, testHosts, options);
}

/** `fap run NAME` for a task of your plugin (or of `config.tasks`), as deployWith runs a deploy. */
export function runTaskWith(testHosts: TestHosts, name: string, options: DeployWithOptions = {}): Promise<TestRun> {
  return runWith((session) => runTask(session, name), testHosts, options);
}

type Flow = (options: SessionOptions) => Promise<FlowResult>;

async function runWith(flow: Flow, testHosts: TestHosts, options: DeployWithOptions): Promise<TestRun> {
  const { config: resolvedConfig, secrets } = resolveSecrets(testConfig(testHosts, options));
  const fap = createFap(flatPlugins(options.plugins ?? []), { tasks: resolvedConfig.tasks });
  const output: string[] = [];
  const print = (line: string): void => {
    output.push(line);
    options.onOutput?.(line);
  };
  listen(fap, print);
  const connector = new SshConnector({ home: testHosts.home, agent: "none" });
  try {
    const result = await flow({
      fap,
      config: resolvedConfig,
      secrets,
      selection: { stage: options.stage ?? onlyStage(resolvedConfig), role: options.role },
      cliValues: options.set ?? {},
      connector,
      dryRun: options.dryRun ?? false,
    });
    return { ...result, output };
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
