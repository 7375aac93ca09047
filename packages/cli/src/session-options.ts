import { createFap, FapError, redactError, resolveSecrets, type Connector, type SessionOptions } from "@fap/core";
import { cliValues } from "./cli-values.js";
import type { CommonOptions } from "./common-options.js";
import { loadConfig } from "./load-config.js";
import { loadPlugins } from "./load-plugins.js";

export interface Prepared {
  options: SessionOptions;
  connector: Connector;
  configPath: string;
  /** The error with every secret of this run redacted: for printing. */
  redact(error: unknown): unknown;
}

/** Config, plugins, command-line values and a connector: everything a flow needs. */
export async function prepareRun(common: CommonOptions, extraArgs: readonly string[], warn: (message: string) => void): Promise<Prepared> {
  const loaded = await loadConfig({ cwd: process.cwd(), file: common.config ?? common.deployfile, warn });
  const { config, secrets } = resolveSecrets(loaded.config);
  const plugins = await loadPlugins(config.plugins, loaded.dir);
  const fap = createFap(plugins);
  const values = cliValues(extraArgs, common.set, fap.keys);
  const parallel = common.parallel === undefined ? undefined : Number(common.parallel);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel > 0)) {
    throw new FapError("E_USAGE", `--parallel ${common.parallel}: expected a whole number above 0`, { hint: "e.g. --parallel 10" });
  }
  const { SshConnector } = await import("@fap/ssh");
  const connector = new SshConnector({ acceptNewHostKeys: common.acceptNewHostKeys ?? false });
  return {
    connector,
    configPath: loaded.filepath,
    redact: (error) => redactError(error, secrets),
    options: {
      fap,
      config,
      secrets,
      selection: { stage: common.stage, role: common.role },
      cliValues: values,
      connector,
      dryRun: common.dryRun ?? false,
      ...(parallel === undefined ? {} : { parallel }),
    },
  };
}
