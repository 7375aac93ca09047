import { batchSize, checkFlagSeconds, createFap, FapError, newDeployId, resolveSecrets, type Connector, type Rollout, type SessionOptions } from "@fap/core";
import { cliValues } from "./cli-values.js";
import type { CommonOptions } from "./common-options.js";
import { loadConfig } from "./load-config.js";
import { loadPlugins } from "./load-plugins.js";
import { watchPending } from "./pending-work.js";
import { outputRedactor, guardProcessOutput } from "./redaction.js";
import { markOf, maskSecretRefs } from "./secret-refs.js";
import { trackPending } from "./track-pending.js";

export interface Prepared {
  options: SessionOptions;
  connector: Connector;
  configPath: string;
  /** The error with every secret of this run redacted: for printing. */
  redact(error: unknown): unknown;
  /** Text with every secret of this run replaced by ***. */
  redactText(text: string): string;
}

export interface PrepareOptions {
  /** `mask`: leave env:NAME values unread, marked (fap config, fap tasks); default: read them. */
  secrets?: "read" | "mask";
  /** The run's id, when the caller made one already (for --json lines written before this returns). */
  deployId?: string;
}

/** Config, plugins, command-line values and a connector: everything a flow needs. */
export async function prepareRun(
  common: CommonOptions,
  extraArgs: readonly string[],
  warn: (message: string) => void,
  prepare: PrepareOptions = {},
): Promise<Prepared> {
  // A config or plugin module that never finishes loading (a top-level await) is named too.
  let loading = "loading the config";
  const stopWatching = watchPending(() => [loading]);
  const loaded = await loadConfig({ cwd: process.cwd(), file: common.config ?? common.deployfile, warn });
  const { config, secrets } = prepare.secrets === "mask" ? masked(loaded.config) : resolveSecrets(loaded.config);
  // From here on, nothing fap writes shows a secret (see redaction.ts).
  guardProcessOutput();
  outputRedactor.add(secrets);
  const named = pluginNames(config.plugins);
  loading = named.length > 0 ? `loading the plugins (${named.join(", ")})` : "loading the plugins";
  // -v: which package each plugin name loaded, and from where (the config's folder or beside fap).
  const plugins = await loadPlugins(config.plugins, loaded.dir, common.verbose ? { report: (line) => process.stderr.write(`${line}\n`) } : {});
  stopWatching();
  const fap = createFap(plugins, { tasks: config.tasks, redactor: outputRedactor });
  const values = cliValues(extraArgs, common.set, fap.keys);
  const parallel = common.parallel === undefined ? undefined : Number(common.parallel);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel > 0)) {
    throw new FapError("E_USAGE", `--parallel ${common.parallel}: expected a whole number above 0`, { hint: "e.g. --parallel 10" });
  }
  const { SshConnector } = await import("@fap/ssh");
  const connector = new SshConnector({ acceptNewHostKeys: common.acceptNewHostKeys ?? false });
  watchPending(trackPending(fap, connector));
  return {
    connector,
    configPath: loaded.filepath,
    redact: outputRedactor.error,
    redactText: outputRedactor.text,
    options: {
      fap,
      config,
      secrets,
      selection: { stage: common.stage, role: common.role, hosts: hostList(common.hosts), excludeHosts: hostList(common.excludeHosts) },
      deployId: prepare.deployId ?? newDeployId(),
      cliValues: values,
      connector,
      dryRun: common.dryRun ?? false,
      ...(parallel === undefined ? {} : { parallel }),
      rollout: rolloutOptions(common),
      alignRollback: common.align ?? false,
    },
  };
}

/** The config with env:NAME values unread; their marks are redacted like secrets, so an error quoting one shows ***. */
function masked(config: Parameters<typeof maskSecretRefs>[0]) {
  const { config: maskedConfig, names } = maskSecretRefs(config);
  return { config: maskedConfig, secrets: [...new Set(names.values())].map(markOf) };
}

/** `--hosts a,b --hosts c` as a list; undefined when not given. */
function hostList(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  return values.flatMap((v) => v.split(",")).map((h) => h.trim()).filter(Boolean);
}

/** --batch, --batch-wait and --max-failed, checked before anything runs. */
function rolloutOptions(common: CommonOptions): Rollout {
  const number = (flag: string, value: string | undefined, min: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min) {
      throw new FapError("E_USAGE", `${flag} ${value}: expected a number of at least ${min}`, { hint: `e.g. ${flag} ${min + 1}` });
    }
    return n;
  };
  if (common.batch !== undefined) batchSize(common.batch, 1);
  const wait = common.batchWait === undefined ? undefined : checkFlagSeconds("--batch-wait", common.batchWait);
  const maxFailed = number("--max-failed", common.maxFailed, 0);
  if (maxFailed !== undefined && !Number.isInteger(maxFailed)) {
    throw new FapError("E_USAGE", `--max-failed ${common.maxFailed}: expected a whole number`, { hint: "e.g. --max-failed 1" });
  }
  return { batch: common.batch, batchWaitMs: wait === undefined ? undefined : wait * 1000, maxFailed };
}

/** The plugins given by name (nested lists flattened), for "still loading" messages. */
function pluginNames(entries: unknown): string[] {
  if (typeof entries === "string") return [entries];
  return Array.isArray(entries) ? entries.flatMap(pluginNames) : [];
}
