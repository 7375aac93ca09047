import { afterAll, beforeAll } from "vitest";
import { startTestHosts, type TestHosts } from "@fap/testing";
import { SshConnector, type SshConnectorOptions } from "../src/index.js";

/**
 * `count` sshd test hosts for one test file, started before its tests and stopped after them,
 * with the connectors its tests make, closed first. agent "": the developer's own ssh-agent
 * takes no part.
 */
export function useSshd(count: number): { readonly t: TestHosts; connector(options?: SshConnectorOptions): SshConnector } {
  let hosts: TestHosts | undefined;
  const connectors: SshConnector[] = [];
  beforeAll(async () => {
    hosts = await startTestHosts({ count });
  });
  afterAll(async () => {
    await Promise.all(connectors.map((c) => c.close()));
    await hosts?.stop();
  });
  const started = (): TestHosts => {
    if (hosts === undefined) throw new Error("the sshd test hosts are not started yet");
    return hosts;
  };
  return {
    get t() {
      return started();
    },
    connector(options = {}) {
      const c = new SshConnector({ home: started().home, agent: "", ...options });
      connectors.push(c);
      return c;
    },
  };
}
