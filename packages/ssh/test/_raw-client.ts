import { readFileSync } from "node:fs";
import ssh2, { type ClientChannel } from "ssh2";
import { afterEach } from "vitest";
import type { TestHosts } from "@fap/testing";
import { Connection } from "../src/connection.js";

/**
 * Plain ssh2 clients to a test host, outside any connector, so a test can open channels fap does
 * not count (taking every session sshd allows, say). Each is ended after its test.
 */
export function useRawClients(hosts: () => TestHosts): {
  connect(): Promise<ssh2.Client>;
  /** fap's Connection on a client whose every session sshd allows (64) runs a `sleep 3` fap does not know of. */
  full(): Promise<Connection>;
} {
  const clients: ssh2.Client[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.end();
  });

  async function connect(): Promise<ssh2.Client> {
    const t = hosts();
    const host = t.hosts[0]!;
    const client = new ssh2.Client();
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.once("ready", resolve).once("error", reject);
      client.connect({ host: "127.0.0.1", port: host.port, username: host.user, privateKey: readFileSync(t.identityFile) });
    });
    return client;
  }

  function session(client: ssh2.Client, command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))));
  }

  async function full(): Promise<Connection> {
    const client = await connect();
    await Promise.all(Array.from({ length: 64 }, () => session(client, "sleep 3")));
    return new Connection(client, 8, () => {});
  }

  return { connect, full };
}
