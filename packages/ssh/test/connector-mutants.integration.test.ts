import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { formatFapError } from "@fap/core";
import type { SshConnector } from "../src/index.js";
import { useSshd } from "./_sshd.js";
import { rejection } from "../../../test/thrown.js";

// SshConnector's paths that only the survivors of its mutation runs showed untested.
const sshd = useSshd(1);

/** A connector reading these `Host NAME` blocks (after the test hosts' own), each on a closed port, jumping as `jumps` says. */
async function withJumps(name: string, jumps: Record<string, string>): Promise<SshConnector> {
  const blocks = Object.entries(jumps).flatMap(([host, jump], i) => [`Host ${host}`, "  HostName 127.0.0.1", `  Port ${i + 1}`, "  User root", `  ProxyJump ${jump}`, ""]);
  const file = path.join(sshd.t.dir, `config-${name}`);
  await writeFile(file, `${await readFile(sshd.t.sshConfigPath, "utf8")}\n${blocks.join("\n")}\n`);
  return sshd.connector({ sshConfigPath: file });
}

/**
 * What connecting to `hosts` at once says for each. connection()'s own check sees the loop of one
 * connect only: two connects entering the same loop at different hosts would each wait for the
 * other's connection, so the check before anything is opened must find every loop.
 */
async function connectAtOnce(c: SshConnector, hosts: string[]): Promise<string[] | string> {
  const all = Promise.all(hosts.map(async (host) => formatFapError(await rejection(c.connect({ host })))));
  return Promise.race([all, sleep(10_000).then(() => "still waiting after 10 s")]);
}

describe("ProxyJump", () => {
  it("refuses a loop further along the chain, for two hosts entering it at once", async () => {
    const c = await withJumps("entries", { entrya: "ringl", entryb: "ringm", ringl: "ringm", ringm: "ringl" });
    expect(await connectAtOnce(c, ["entrya", "entryb"])).toEqual([
      "entrya: ProxyJump loop in ~/.ssh/config: entrya → ringl → ringm → ringl",
      "entryb: ProxyJump loop in ~/.ssh/config: entryb → ringm → ringl → ringm",
    ]);
  });

  it("refuses a loop of 8 hosts, for two of them connected at once", async () => {
    const octo = Array.from({ length: 8 }, (_, i) => `eight${i}`);
    const c = await withJumps("eight", Object.fromEntries(octo.map((host, i) => [host, octo[(i + 1) % 8]!])));
    const from = (start: number) => [...octo.slice(start), ...octo.slice(0, start), octo[start]].join(" → ");
    expect(await connectAtOnce(c, ["eight0", "eight4"])).toEqual([
      `eight0: ProxyJump loop in ~/.ssh/config: ${from(0)}`,
      `eight4: ProxyJump loop in ~/.ssh/config: ${from(4)}`,
    ]);
  });
});
