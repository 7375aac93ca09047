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
