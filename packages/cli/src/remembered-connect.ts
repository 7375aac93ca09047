import type { SshConnector } from "@fap/ssh";
import type { CommonOptions } from "./common-options.js";
import { EarlyConnector } from "./early-connect.js";
import { recallHosts, selectionKey } from "./remembered-hosts.js";

/** The run's connector, already connecting to the remembered hosts; taken once, by prepareRun. */
let connecting: Promise<EarlyConnector> | undefined;

/**
 * For a flow (deploy, rollback, restart), called before anything else is loaded: when the
 * last run with this selection left its hosts in remembered-hosts.ts and the config file has
 * not changed since, starts connecting to them, so that the SSH handshakes go on while the
 * config and the plugins load. Each guess connects with a connector that refuses host keys not
 * in known_hosts, and nothing runs on it unless the config names its host (EarlyConnector).
 */
export async function connectRemembered(common: CommonOptions, extraArgs: readonly string[]): Promise<void> {
  const key = selectionKey(common, extraArgs);
  const addresses = key === undefined ? undefined : recallHosts(key);
  if (addresses === undefined || addresses.length === 0) return;
  connecting = import("@fap/ssh").then(({ SshConnector }) => {
    const run = runConnector(SshConnector, common);
    const connector = new EarlyConnector(run);
    connector.speculate(addresses, (signal) => run.guessing(signal));
    return connector;
  });
  await connecting.catch(() => {});
}

/** The connector connectRemembered made, if it did; a second call gets none. */
export function takeRemembered(): Promise<EarlyConnector> | undefined {
  const taken = connecting;
  connecting = undefined;
  return taken;
}

/** The connector a run uses, with the command line's options. */
export function runConnector(Ssh: typeof SshConnector, common: CommonOptions): SshConnector {
  return new Ssh({ acceptNewHostKeys: common.acceptNewHostKeys ?? false });
}
