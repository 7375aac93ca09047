import { writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHosts, type TestHosts } from "@fap/testing";
import { Connection } from "../src/connection.js";
import { SshConnector } from "../src/index.js";
import { rejection } from "../../../test/thrown.js";
import { listen, relay } from "./_tcp.js";

// Connection: how idle it counts as (for closing the idlest past the open-file limit), how it
// tells its listeners it is gone, and how it ends.
let t: TestHosts;

beforeAll(async () => {
  t = await startTestHosts({ count: 1 });
});

afterAll(async () => {
  await t?.stop();
});

describe("Connection", () => {
  it("counts idle time from its last hand-out, and none while a channel is open", async () => {
    const connection = new Connection(new ssh2.Client(), 2, () => {});
    const now = Date.now();
    expect(connection.idleMs(now + 1000)).toBeGreaterThanOrEqual(1000);
    expect(connection.idleMs(now + 1000)).toBeLessThan(1500);
    await sleep(50);
    connection.touch();
    expect(connection.idleMs(Date.now() + 100)).toBeLessThan(150);
    const release = await connection.channels.acquire();
    expect(connection.idleMs(Date.now() + 5000)).toBe(0);
    release();
    expect(connection.isLost).toBe(false);
  });

  it("tells its listeners once it is lost, one added after the loss too (later), none unsubscribed", async () => {
    const silent = await listen(() => {});
    try {
      const client = new ssh2.Client();
      const forgotten: Connection[] = [];
      const connection = new Connection(client, 2, (c) => forgotten.push(c));
      const closed = new Promise<void>((resolve) => client.on("close", () => resolve()));
      client.connect({ host: "127.0.0.1", port: silent.port, username: "root", readyTimeout: 60_000 });
      await sleep(100);
      const kept: unknown[] = [];
      const dropped: unknown[] = [];
      connection.onLost((...args) => kept.push(args));
      connection.onLost((...args) => dropped.push(args))();
      client.destroy();
      await closed;
      expect(kept).toHaveLength(1);
      expect(dropped).toEqual([]);
      expect(connection.isLost).toBe(true);
      expect(new Set(forgotten)).toEqual(new Set([connection]));
      const calls: unknown[][] = [];
      connection.onLost((...args) => calls.push(args));
      expect(calls).toEqual([]);
      await sleep(0);
      expect(calls).toHaveLength(1);
      expect(calls[0]![1]).toBe(false); // not closed by us
    } finally {
      await silent.close();
    }
  });

  it("ends a connection whose peer went silent after 2 s, failing what still runs", async () => {
    const front = await relay(t.hosts[0]!.port);
    const knownHostsPath = path.join(t.dir, "known_hosts_relay");
    const [, type, key] = t.hosts[0]!.hostKeyLine.split(" ");
    await writeFile(knownHostsPath, `[127.0.0.1]:${front.port} ${type} ${key}\n`);
    const connector = new SshConnector({ home: t.home, agent: "", knownHostsPath });
    try {
      const r = await connector.connect({ host: `root@127.0.0.1:${front.port}` });
      const running = rejection(r.exec("sleep 20"));
      await sleep(200);
      front.freeze();
      const started = performance.now();
      await connector.close();
      const took = performance.now() - started;
      expect(took).toBeGreaterThan(1900);
      expect(took).toBeLessThan(10_000);
      const error = await Promise.race([running, sleep(5000).then(() => undefined)]);
      expect(error?.message).toBe("connection closed while running `sleep 20`");
    } finally {
      await connector.close();
      await front.close();
    }
  });
});
