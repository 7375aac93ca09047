import type { Connector, SessionOptions } from "@fap/core/internal";
import type { SshConnector } from "@fap/ssh";
import type { CommonOptions } from "./common-options.js";
import { composeRun } from "./compose-run.js";
import { EarlyConnector, earlyAddresses } from "./early-connect.js";
import { loadConfig } from "./load-config.js";
import { loadPlugins } from "./load-plugins.js";
import { watchPending } from "./pending-work.js";
import { outputRedactor, guardProcessOutput } from "./redaction.js";
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
  /**
   * Start connecting to the selected hosts as soon as the config is read, while the plugins
   * load (see early-connect.ts): for runs that connect to every selected host.
   */
  connectEarly?: boolean;
}

/** The config file and the plugins it names, put together into a run by composeRun, with an SSH connector. */
export async function prepareRun(
  common: CommonOptions,
  extraArgs: readonly string[],
  warn: (message: string) => void,
  prepare: PrepareOptions = {},
): Promise<Prepared> {
  // ssh2 loads while the config does, for a connector ready when the hosts are known.
  const early = prepare.connectEarly ? sshConnector(common) : undefined;
  early?.catch(() => {});
  // A config or plugin module that never finishes loading (a top-level await) is named too.
  let loading = "loading the config";
  const stopWatching = watchPending(() => [loading]);
  const loaded = await loadConfig({ cwd: process.cwd(), file: common.config ?? common.deployfile, warn });
  // From here on, nothing fap writes shows a secret (see redaction.ts): composeRun adds those it reads.
  guardProcessOutput();
  let started: EarlyConnector | undefined;
  const composed = composeRun({
    config: loaded.config,
    plugins: async (config) => {
      const addresses = early ? earlyAddresses(config, common, { ...common, args: extraArgs }) : undefined;
      if (early && addresses) {
        started = new EarlyConnector(await early);
        started.start(addresses);
      }
      const named = pluginNames(config.plugins);
      loading = named.length > 0 ? `loading the plugins (${named.join(", ")})` : "loading the plugins";
      // -v: which package each plugin name loaded, and from where (the config's folder or beside
      // fap), with the rest of -v's output on stdout; --json keeps stdout for its events.
      const json = (common as { json?: boolean }).json === true;
      const plugins = await loadPlugins(config.plugins, loaded.dir, common.verbose && !json ? { report: (line) => process.stdout.write(`${line}\n`) } : {});
      stopWatching();
      return plugins;
    },
    selection: common,
    flags: { ...common, args: extraArgs },
    redactor: outputRedactor,
    connector: async () => started ?? (await (early ?? sshConnector(common))),
    deployId: prepare.deployId,
    secrets: prepare.secrets,
  });
  // A run that fails before it is put together (a plugin that does not load, a typo in a key)
  // closes the connections started for it: nothing else will. Its error is told at once.
  const { options, connector } = await composed.catch((error: unknown) => {
    void started?.close();
    throw error;
  });
  watchPending(trackPending(options.fap, connector));
  return { connector, configPath: loaded.filepath, redact: outputRedactor.error, redactText: outputRedactor.text, options };
}

async function sshConnector(common: CommonOptions): Promise<SshConnector> {
  const { SshConnector } = await import("@fap/ssh");
  return new SshConnector({ acceptNewHostKeys: common.acceptNewHostKeys ?? false });
}

/** The plugins given by name (nested lists flattened), for "still loading" messages. */
function pluginNames(entries: unknown): string[] {
  if (typeof entries === "string") return [entries];
  return Array.isArray(entries) ? entries.flatMap(pluginNames) : [];
}
