import { FapError } from "../src/errors.js";
import type { Connector, Remote } from "../src/remote.js";

/**
 * `connector` whose remotes answer as `wrap` says: what it returns (exec, auth...) replaces the
 * remote's own, so a test can fail one command on one host or change an answer's lines.
 */
export function wrapConnector(connector: Connector, wrap: (remote: Remote) => Omit<Remote, "host" | "resolved">): Connector {
  return {
    resolve: (address) => connector.resolve(address),
    close: () => connector.close(),
    async connect(address) {
      const remote = await connector.connect(address);
      return { host: remote.host, resolved: remote.resolved, ...wrap(remote) };
    },
  };
}

/** `connector` whose hosts in `cut` answer every command with a lost connection, as a host that went away. */
export function cuttableConnector(connector: Connector): { cut: Set<string>; connector: Connector } {
  const cut = new Set<string>();
  const wrapped = wrapConnector(connector, (remote) => ({
    exec(command, options) {
      if (cut.has(remote.host)) return Promise.reject(new FapError("E_CONNECTION_LOST", "connection lost", { host: remote.host }));
      return remote.exec(command, options);
    },
  }));
  return { cut, connector: wrapped };
}
