import { readFileSync } from "node:fs";
import ssh2, { type ClientChannel } from "ssh2";
import { afterEach } from "vitest";
import type { TestHosts } from "@fap/testing";

/**
 * Plain ssh2 clients to a test host, outside any connector, so a test can open channels fap does
 * not count (taking every session sshd allows, say). Each is ended after its test.
 */
export function useRawClients(hosts: () => TestHosts): { connect(): Promise<ssh2.Client>; session(client: ssh2.Client, command: string): Promise<ClientChannel> } {
  const clients: ssh2.Client[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.end();
  });
  return {
    async connect() {
      const t = hosts();
      const host = t.hosts[0]!;
      const client = new ssh2.Client();
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once("ready", resolve).once("error", reject);
        client.connect({ host: "127.0.0.1", port: host.port, username: host.user, privateKey: readFileSync(t.identityFile) });
      });
      return client;
    },
    session(client, command) {
      return new Promise((resolve, reject) => client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))));
    },
  };
}
