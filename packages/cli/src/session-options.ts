import type { Connector, SessionOptions } from "@fap/core/internal";
import type { CommonOptions } from "./common-options.js";
import { composeRun } from "./compose-run.js";
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
}

/** The config file and the plugins it names, put together into a run by composeRun, with an SSH connector. */
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
  // From here on, nothing fap writes shows a secret (see redaction.ts): composeRun adds those it reads.
  guardProcessOutput();
  const { options, connector } = await composeRun({
    config: loaded.config,
    plugins: async (config) => {
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
    connector: async () => {
      const { SshConnector } = await import("@fap/ssh");
      return new SshConnector({ acceptNewHostKeys: common.acceptNewHostKeys ?? false });
    },
    deployId: prepare.deployId,
    secrets: prepare.secrets,
  });
  watchPending(trackPending(options.fap, connector));
  return { connector, configPath: loaded.filepath, redact: outputRedactor.error, redactText: outputRedactor.text, options };
}

/** The plugins given by name (nested lists flattened), for "still loading" messages. */
function pluginNames(entries: unknown): string[] {
  if (typeof entries === "string") return [entries];
  return Array.isArray(entries) ? entries.flatMap(pluginNames) : [];
}
