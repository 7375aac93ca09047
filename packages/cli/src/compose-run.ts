import { createFap, newDeployId, resolveSecrets, type Connector, type FapConfig, type FapPlugin, type Redactor, type SessionOptions } from "@fap/core/internal";
import { cliValues } from "./cli-values.js";
import { lockAndTargetOptions, rolloutOptions, wholeParallel, type RunFlags } from "./run-flags.js";
import { markOf, maskSecretRefs } from "./secret-refs.js";

export type { RunFlags } from "./run-flags.js";

/** Which hosts a run works on: `-s`, `-r`, `--hosts`, `--exclude-hosts` (lists may hold "a,b"). */
export interface RunSelection {
  stage?: string | undefined;
  role?: string | undefined;
  hosts?: readonly string[] | undefined;
  excludeHosts?: readonly string[] | undefined;
}

export interface ComposeRunInput<C extends Connector = Connector> {
  /** The config as loaded: `env:NAME` values still unread. */
  config: FapConfig;
  /** The plugin objects, or how to load them from the config (the CLI loads them by name). */
  plugins: readonly FapPlugin[] | ((config: FapConfig) => Promise<FapPlugin[]>);
  selection: RunSelection;
  flags?: RunFlags;
  /** Every secret read goes in here before a plugin is loaded; events and errors go through it. */
  redactor: Redactor;
  /** Made once everything else is checked, so a usage error opens no connection. */
  connector: () => C | Promise<C>;
  /** The run's id, when the caller made one already (for --json lines written before this returns). */
  deployId?: string | undefined;
  /** `mask`: leave env:NAME values unread, marked (fap config, fap tasks); default: read them. */
  secrets?: "read" | "mask";
}

export interface ComposedRun<C extends Connector = Connector> {
  /** What a flow takes: `deploy(options)`, `runTask(options, name)`. */
  options: SessionOptions & { deployId: string };
  connector: C;
}

/**
 * The one place a run is put together from a config, plugins, a selection and flags: `fap run`
 * and every command that touches hosts, and @fap/testing's deployWith, so a plugin's tests see
 * the ids, options and checks `fap` itself uses.
 */
export async function composeRun<C extends Connector>(input: ComposeRunInput<C>): Promise<ComposedRun<C>> {
  const flags = input.flags ?? {};
  const { config, secrets } = input.secrets === "mask" ? masked(input.config) : resolveSecrets(input.config);
  input.redactor.add(secrets);
  const plugins = typeof input.plugins === "function" ? await input.plugins(config) : [...input.plugins];
  const fap = createFap(plugins, { tasks: config.tasks, redactor: input.redactor });
  const values = { ...cliValues(flags.args ?? [], flags.set ?? [], fap.keys, config), ...flags.values };
  const parallel = wholeParallel(flags.parallel);
  const rollout = rolloutOptions(flags);
  const waitAndTarget = lockAndTargetOptions(flags);
  const connector = await input.connector();
  const { selection } = input;
  return {
    connector,
    options: {
      fap,
      config,
      secrets,
      selection: { stage: selection.stage, role: selection.role, hosts: hostList(selection.hosts), excludeHosts: hostList(selection.excludeHosts) },
      deployId: input.deployId ?? newDeployId(),
      cliValues: values,
      connector,
      dryRun: flags.dryRun ?? false,
      ...(parallel === undefined ? {} : { parallel }),
      rollout,
      alignRollback: flags.align ?? false,
      ...waitAndTarget,
    },
  };
}

/** The config with env:NAME values unread; their marks are redacted like secrets, so an error quoting one shows ***. */
function masked(config: FapConfig) {
  const { config: maskedConfig, names } = maskSecretRefs(config);
  return { config: maskedConfig, secrets: [...new Set(names.values())].map(markOf) };
}

/** `--hosts a,b --hosts c` as a list; undefined when not given. */
function hostList(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  return values.flatMap((v) => v.split(",")).map((h) => h.trim()).filter(Boolean);
}
