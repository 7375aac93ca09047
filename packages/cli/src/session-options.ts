import type { Connector, HostAddress, SessionOptions } from "@fap/core/internal";
import type { SshConnector } from "@fap/ssh";
import type { CommonOptions } from "./common-options.js";
import { composeRun } from "./compose-run.js";
import { EarlyConnector, earlyAddresses } from "./early-connect.js";
import { loadConfig } from "./load-config.js";
import { loadPlugins } from "./load-plugins.js";
import { watchPending } from "./pending-work.js";
import { runConnector, takeRemembered } from "./remembered-connect.js";
import { rememberHosts, selectionKey } from "./remembered-hosts.js";
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

/** Warnings about the config and the run, on stderr: stdout may be --json's. */
export function warnOnStderr(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

/** The config file and the plugins it names, put together into a run by composeRun, with an SSH connector. */
export async function prepareRun(
  common: CommonOptions,
  extraArgs: readonly string[],
  warn: (message: string) => void,
  prepare: PrepareOptions = {},
): Promise<Prepared> {
  // Connecting already to the hosts of the last run like this one (remembered-connect.ts), or
  // else: ssh2 loads while the config does, for a connector ready when the hosts are known.
  const remembered = prepare.connectEarly ? takeRemembered() : undefined;
  const early = prepare.connectEarly ? (remembered ?? sshConnector(common)) : undefined;
  early?.catch(() => {});
  // A config or plugin module that never finishes loading (a top-level await) is named too.
  let loading = "loading the config";
  const stopWatching = watchPending(() => [loading]);
  let started: EarlyConnector | undefined;
  // A run that fails before it is put together (a config that does not load, a plugin that
  // does not, a typo in a key) closes the connections started for it: nothing else will.
  const closeEarly = (): void => {
    const closing = started ? started.close() : remembered?.then((connector) => connector.close());
    closing?.catch(() => {});
  };
  const loaded = await loadConfig({ cwd: process.cwd(), file: common.config ?? common.deployfile, warn }).catch((error: unknown) => {
    closeEarly();
    throw error;
  });
  // From here on, nothing fap writes shows a secret (see redaction.ts): composeRun adds those it reads.
  guardProcessOutput();
  const composed = composeRun({
    config: loaded.config,
    plugins: async (config) => {
      const addresses = early ? earlyAddresses(config, common, { ...common, args: extraArgs }) : undefined;
      if (early && (addresses || remembered)) {
        const connector = await early;
        started = connector instanceof EarlyConnector ? connector : new EarlyConnector(connector);
        // Remembered hosts the config does not name (all, when it cannot tell) are closed here.
        started.start(addresses ?? []);
      }
      if (early) remember(common, extraArgs, loaded.filepath, addresses);
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
  // Its error is told at once.
  const { options, connector } = await composed.catch((error: unknown) => {
    closeEarly();
    throw error;
  });
  watchPending(trackPending(options.fap, connector));
  return { connector, configPath: loaded.filepath, redact: outputRedactor.error, redactText: outputRedactor.text, options };
}

async function sshConnector(common: CommonOptions): Promise<SshConnector> {
  const { SshConnector } = await import("@fap/ssh");
  return runConnector(SshConnector, common);
}

/** The first addresses, for the next run like this one; none that shows a secret (they are written to disk). */
function remember(common: CommonOptions, extraArgs: readonly string[], configPath: string, addresses: HostAddress[] | undefined): void {
  const key = selectionKey(common, extraArgs);
  if (key === undefined) return;
  const shown = JSON.stringify(addresses);
  rememberHosts(key, configPath, shown === undefined || outputRedactor.text(shown) === shown ? addresses : undefined);
}

/** The plugins given by name (nested lists flattened), for "still loading" messages. */
function pluginNames(entries: unknown): string[] {
  if (typeof entries === "string") return [entries];
  return Array.isArray(entries) ? entries.flatMap(pluginNames) : [];
}
