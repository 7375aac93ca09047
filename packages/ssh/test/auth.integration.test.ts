import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIdentities, planAuth, usableAgentSocket } from "../src/auth.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "fap-auth-"));
  const keygen = (name: string, passphrase: string) =>
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", path.join(dir, name)]);
  keygen("plain", "");
  keygen("locked", "secret");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadIdentities", () => {
  it("sorts keys into usable, encrypted, missing", async () => {
    const files = ["plain", "locked", "missing", "plain.pub"].map((f) => path.join(dir, f));
    const found = await loadIdentities(files, true);
    expect(found.usable.map((i) => path.basename(i.file))).toEqual(["plain"]);
    expect(found.encrypted.map((f) => path.basename(f))).toEqual(["locked"]);
    expect(found.missing.map((f) => path.basename(f))).toEqual(["missing"]);
    expect(found.unreadable).toHaveLength(1); // a public key is no identity
    // The encrypted key's public half comes from its .pub, for IdentitiesOnly's agent filter.
    expect(found.publicKeys).toHaveLength(2);
  });

  it("does not report missing default keys", async () => {
    const found = await loadIdentities([path.join(dir, "id_rsa")], false);
    expect(found.missing).toEqual([]);
  });
});

describe("planAuth", () => {
  it("offers the agent, then the files, then gives up", async () => {
    const identities = await loadIdentities([path.join(dir, "plain"), path.join(dir, "locked")], true);
    const plan = planAuth({ user: "root", agentSocket: "/tmp/agent.sock", identities, identitiesOnly: false, filesFirst: false });
    const offered: unknown[] = [];
    const next = (m: unknown) => offered.push(m);
    plan.handler(null as never, false, next as never);
    plan.handler(["publickey"], false, next as never);
    plan.handler(["publickey"], false, next as never);
    expect(offered.map((m) => (m === false ? false : (m as { type: string }).type))).toEqual(["agent", "publickey", false]);
    expect(plan.serverMethods()).toEqual(["publickey"]);
    const text = plan.describe();
    expect(text).toContain("tried ssh-agent /tmp/agent.sock (0 keys)");
    expect(text).toContain(path.join(dir, "plain"));
    expect(text).toContain(`skipped encrypted ${path.join(dir, "locked")}`);
  });

  it("puts configured files before the agent", async () => {
    const identities = await loadIdentities([path.join(dir, "plain")], true);
    const plan = planAuth({ user: "root", agentSocket: "/tmp/agent.sock", identities, identitiesOnly: false, filesFirst: true });
    const offered: string[] = [];
    plan.handler(null as never, false, ((m: { type: string }) => offered.push(m.type)) as never);
    expect(offered).toEqual(["publickey"]);
  });

  it("with nothing to offer tries none, and says why", async () => {
    const plan = planAuth({
      user: "root",
      agentSocket: undefined,
      identities: { usable: [], encrypted: [], missing: [], unreadable: [], publicKeys: [] },
      identitiesOnly: false,
      filesFirst: false,
    });
    const offered: string[] = [];
    plan.handler(null as never, false, ((m: { type: string }) => offered.push(m.type)) as never);
    expect(offered).toEqual(["none"]);
    expect(plan.describe()).toMatch(/no key to try/);
  });
});

describe("usableAgentSocket", () => {
  it("ignores unset, none and paths that are no socket", async () => {
    expect(await usableAgentSocket(undefined)).toBeUndefined();
    expect(await usableAgentSocket("")).toBeUndefined();
    expect(await usableAgentSocket("none")).toBeUndefined();
    expect(await usableAgentSocket(path.join(dir, "plain"))).toBeUndefined();
    expect(await usableAgentSocket(path.join(dir, "nope"))).toBeUndefined();
  });
});
