import { readFileSync } from "node:fs";
import ssh2, { type ClientChannel } from "ssh2";
import { afterEach, describe, expect, it } from "vitest";
import { formatFapError } from "@fap/core";
import { Connection } from "../src/connection.js";
import { execOnConnection } from "../src/exec.js";
import { useSshd } from "./_sshd.js";
import { rejection } from "../../../test/thrown.js";

// exec.ts's paths that only the survivors of its mutation runs showed untested, against a real sshd.
const sshd = useSshd(1);
const clients: ssh2.Client[] = [];

afterEach(() => {
  for (const client of clients.splice(0)) client.end();
});

/** A plain ssh2 client to host1, outside any connector, so a test can open channels fap does not count. */
async function rawClient(): Promise<ssh2.Client> {
  const host = sshd.t.hosts[0]!;
  const client = new ssh2.Client();
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once("ready", resolve).once("error", reject);
    client.connect({ host: "127.0.0.1", port: host.port, username: host.user, privateKey: readFileSync(sshd.t.identityFile) });
  });
  return client;
}

function openSession(client: ssh2.Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))));
}

describe("exec", () => {
  it("fails at once with sshd's reason when it refuses the first channel: no MaxSessions limit is learnt from that", async () => {
    const client = await rawClient();
    // Every session the test hosts' sshd allows (64) is taken, none of them by fap's queue.
    await Promise.all(Array.from({ length: 64 }, () => openSession(client, "sleep 3")));
    const connection = new Connection(client, 8, () => {});
    // Retried as a MaxSessions refusal, it would run once a sleep ends instead.
    const error = await rejection(execOnConnection(connection, "host1", "echo refused"));
    expect(error.code).toBe("E_SSH_CONNECT");
    expect(formatFapError(error)).toBe("host1: cannot open a channel for `echo refused`: (SSH) Channel open failure: open failed");
    expect(error.details).toEqual({ command: "echo refused" });
    expect((error.cause as Error).message).toBe("(SSH) Channel open failure: open failed");
  });

  it("takes a JavaScript plugin's stdin: null for no input", async () => {
    const client = await rawClient();
    const connection = new Connection(client, 8, () => {});
    // null is no stream: the command's stdin is ended, as without one, so `cat` sees its end at once.
    const result = await execOnConnection(connection, "host1", "cat; echo eof", { stdin: null as unknown as string, timeoutMs: 5000 });
    expect(result).toMatchObject({ stdout: "eof\n", exitCode: 0 });
  });
});
