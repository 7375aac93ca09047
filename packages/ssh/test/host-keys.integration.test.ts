import { createHmac, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatFapError } from "@fap/core";
import { startTestHosts, type TestHosts } from "@fap/testing";
import { SshConnector } from "../src/index.js";
import { rejection } from "../../../test/thrown.js";

// Hosts whose keys are NOT in known_hosts: every test writes the file it needs.
let t: TestHosts;
const connectors: SshConnector[] = [];

beforeAll(async () => {
  t = await startTestHosts({ count: 1, knownHosts: false });
});

afterAll(async () => {
  await Promise.all(connectors.map((c) => c.close()));
  await t?.stop();
});

function connector(options: ConstructorParameters<typeof SshConnector>[0] = {}): SshConnector {
  const c = new SshConnector({ home: t.home, agent: "", ...options });
  connectors.push(c);
  return c;
}

const host = () => t.hosts[0]!;
const keyBase64 = () => host().hostKeyLine.split(" ")[2]!;

describe("host key verification against a real sshd", () => {
  it("refuses an unknown host, naming its fingerprint", async () => {
    await writeFile(t.knownHostsPath, "");
    const error = await rejection(connector().connect({ host: "host1" }));
    expect(error.code).toBe("E_HOST_KEY_UNKNOWN");
    expect(formatFapError(error)).toBe(`host1: host key for [127.0.0.1]:${host().port} is not known (ED25519 ${host().fingerprint})`);
    expect(error.hint).toBe(
      `check the fingerprint, then run with --accept-new-host-keys, or: ssh-keyscan -p ${host().port} 127.0.0.1 >> ${t.knownHostsPath}`,
    );
    expect(await readFile(t.knownHostsPath, "utf8")).toBe("");
  });

  it("with acceptNewHostKeys stores the key, and the next connector trusts it", async () => {
    await writeFile(t.knownHostsPath, "");
    const first = connector({ acceptNewHostKeys: true });
    expect((await (await first.connect({ host: "host1" })).exec("echo in")).stdout).toBe("in\n");
    expect(await readFile(t.knownHostsPath, "utf8")).toBe(`${host().hostKeyLine}\n`);
    const second = connector();
    expect((await (await second.connect({ host: "host1" })).exec("echo again")).stdout).toBe("again\n");
  });

  it("refuses a changed key and leaves known_hosts alone, even with acceptNewHostKeys", async () => {
    const other = ssh2.utils.generateKeyPairSync("ed25519").public.split(" ")[1]!;
    const tampered = `[127.0.0.1]:${host().port} ssh-ed25519 ${other}\n`;
    await writeFile(t.knownHostsPath, tampered);
    for (const acceptNewHostKeys of [false, true]) {
      const error = await rejection(connector({ acceptNewHostKeys }).connect({ host: "host1" }));
      expect(error.code).toBe("E_HOST_KEY_CHANGED");
      expect(formatFapError(error)).toMatch(
        new RegExp(`^host1: HOST KEY FOR \\[127\\.0\\.0\\.1\\]:${host().port} HAS CHANGED .*possible man-in-the-middle`),
      );
    }
    expect(await readFile(t.knownHostsPath, "utf8")).toBe(tampered);
  });

  it("accepts a hashed known_hosts entry", async () => {
    const salt = randomBytes(20);
    const name = `[127.0.0.1]:${host().port}`;
    const hashedName = `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
    await writeFile(t.knownHostsPath, `# hashed, as HashKnownHosts writes it\n${hashedName} ssh-ed25519 ${keyBase64()}\n`);
    expect((await (await connector().connect({ host: "host1" })).exec("echo hashed")).stdout).toBe("hashed\n");
  });

  it("accepts a wildcard entry, and a negation keeps it from matching", async () => {
    await writeFile(t.knownHostsPath, `[127.0.0.1]:* ssh-ed25519 ${keyBase64()}\n`);
    expect((await (await connector().connect({ host: "host1" })).exec("echo wild")).stdout).toBe("wild\n");
    await writeFile(t.knownHostsPath, `[127.0.0.1]:*,![127.0.0.1]:${host().port} ssh-ed25519 ${keyBase64()}\n`);
    expect((await rejection(connector().connect({ host: "host1" }))).code).toBe("E_HOST_KEY_UNKNOWN");
  });

  it("refuses a key marked @revoked", async () => {
    await writeFile(t.knownHostsPath, `${host().hostKeyLine}\n@revoked * ssh-ed25519 ${keyBase64()}\n`);
    const error = await rejection(connector().connect({ host: "host1" }));
    expect(error.code).toBe("E_HOST_KEY_CHANGED");
    expect(error.message).toContain("REVOKED");
  });

  it("honours StrictHostKeyChecking accept-new from the ssh config", async () => {
    await writeFile(t.knownHostsPath, "");
    const config = path.join(path.dirname(t.sshConfigPath), "config-accept-new");
    await writeFile(config, `Host host1\n  StrictHostKeyChecking accept-new\n\n${await readFile(t.sshConfigPath, "utf8")}`);
    const c = connector({ sshConfigPath: config });
    expect((await (await c.connect({ host: "host1" })).exec("echo ok")).stdout).toBe("ok\n");
    expect(await readFile(t.knownHostsPath, "utf8")).toBe(`${host().hostKeyLine}\n`);
  });

  it("uses knownHostsPath when given, instead of the config's file", async () => {
    await writeFile(t.knownHostsPath, "");
    const own = path.join(t.dir, "own_known_hosts");
    await writeFile(own, `${host().hostKeyLine}\n`);
    expect((await (await connector({ knownHostsPath: own }).connect({ host: "host1" })).exec("echo own")).stdout).toBe("own\n");
  });
});
