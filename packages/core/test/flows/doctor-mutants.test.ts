import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FapError } from "../../src/errors.js";
import { createFap } from "../../src/fap.js";
import { doctor, requiredTools, type DoctorCheck } from "../../src/flows/doctor.js";
import type { Connector } from "../../src/remote.js";
import { useFixture } from "../_fixture.js";
import { wrapConnector } from "../_wrap-connector.js";

// Checks the mutation run (npm run test:mutation) found untested in flows/doctor.ts: each host
// check's verdict (deploy path, free space, lock, sudo, host key), the report's fields and its
// `ok`, and the program names `requires` takes. A host's answers that the machine running the
// tests cannot give (little free space, a path root cannot write) are the real command's answer
// with that one line changed.

const fx = useFixture();

/** The fixture's connector; each doctor answer has its `::fap-doctor::KEY=` lines replaced (null: dropped). */
function answering(lines: Record<string, string | null>, auth?: string): Connector {
  return wrapConnector(fx.connector, (remote) => ({
    auth,
    async exec(command, options) {
      const result = await remote.exec(command, options);
      let stdout = result.stdout;
      for (const [key, value] of Object.entries(lines)) {
        stdout = stdout.replace(new RegExp(`^::fap-doctor::${key}=.*\\n`, "m"), value === null ? "" : `::fap-doctor::${key}=${value}\n`);
      }
      return { ...result, stdout };
    },
  }));
}

const oneHost = () => fx.config({}, { hosts: ["a"] });
const check = async (name: string, connector: Connector, minFreeMiB?: number): Promise<DoctorCheck | undefined> =>
  (await doctor(fx.options(createFap(), oneHost(), { connector }), minFreeMiB === undefined ? {} : { minFreeMiB })).hosts[0]!.checks.find((c) => c.name === name);

describe("doctor's host checks", () => {
  it("give each host's stage and role, and the connection it made", async () => {
    const report = await doctor(fx.options(createFap(), oneHost(), { connector: answering({}, "key ~/.ssh/id_ed25519") }));
    expect(report.ok).toBe(true);
    expect(report.hosts.map((h) => [h.host, h.stage, h.role])).toEqual([["a", "production", "web"]]);
    expect(report.hosts[0]!.checks.slice(0, 2)).toEqual([
      { name: "connect", ok: true, message: "connects as tester@a:22 with key ~/.ssh/id_ed25519" },
      { name: "host key", ok: true, message: "host key of a:22 matches known_hosts" },
    ]);
  });

  it("say where a deploy path will be created, and whom it is writable by", async () => {
    expect(await check("deploy path", answering({}))).toEqual({ name: "deploy path", ok: true, message: `${fx.root("a")} will be created in ${fx.tmp} (writable by root)` });
    mkdirSync(fx.root("a"), { recursive: true });
    expect(await check("deploy path", answering({ user: "deploy" }))).toEqual({ name: "deploy path", ok: true, message: `${fx.root("a")} is writable by deploy` });
    expect((await check("deploy path", answering({ user: "" })))!.message).toBe(`${fx.root("a")} is writable by tester`);
  });

  it("say how to make a deploy path writable, or replace what is not a directory", async () => {
    mkdirSync(fx.root("a"), { recursive: true });
    expect(await check("deploy path", answering({ user: "deploy", writable: "0" }))).toEqual({
      name: "deploy path",
      ok: false,
      message: `${fx.root("a")} is not writable by deploy`,
      hint: `on the host: sudo mkdir -p ${fx.root("a")} && sudo chown deploy ${fx.root("a")}`,
    });
    expect(await check("deploy path", answering({ dir: "0" }))).toEqual({
      name: "deploy path",
      ok: false,
      message: `${fx.root("a")} cannot be created: ${fx.root("a")} is not a directory`,
      hint: `set path to a directory, or remove ${fx.root("a")} on the host`,
    });
  });

  it("weigh the free space against minFreeMiB (500 by default), in MiB or GiB", async () => {
    const mib = 1024;
    expect(await check("disk", answering({ free: String(300 * mib), mount: "/data" }))).toEqual({
      name: "disk",
      ok: false,
      message: "only 300 MiB free on /data",
      hint: "make room on the host, or lower keep_releases",
    });
    expect(await check("disk", answering({ free: String(500 * mib), mount: "/data" }))).toEqual({ name: "disk", ok: true, message: "500 MiB free on /data" });
    expect((await check("disk", answering({ free: String(300 * mib) }), 1))!.ok).toBe(true);
    expect((await check("disk", answering({ free: String(300 * mib) }), 301))!.ok).toBe(false);
    expect((await check("disk", answering({ free: String(1024 * mib), mount: null })))!.message).toBe("1.0 GiB free");
    expect((await check("disk", answering({ free: String(1024 * mib - 1), mount: "/" })))!.message).toBe("1024 MiB free on /");
    expect((await check("disk", answering({ free: String(2560 * mib), mount: "/" })))!.message).toBe("2.5 GiB free on /");
    expect(await check("disk", answering({ free: null }))).toEqual({ name: "disk", ok: false, message: "cannot read the free space (df failed)", hint: "check that df works on the host" });
  });

  it("report a held lock with how to free it", async () => {
    expect(await check("lock", answering({}))).toEqual({ name: "lock", ok: true, message: "not locked" });
    mkdirSync(join(fx.root("a"), ".fap", "lock"), { recursive: true });
    const lock = await check("lock", answering({}));
    expect(lock).toMatchObject({ name: "lock", ok: false, message: expect.stringMatching(/^locked by .*the lock's info is missing or unreadable/), hint: "if no deploy is running, free the lock with fap unlock -s STAGE" });
  });

  it("name a host key a connection refused as such", async () => {
    for (const code of ["E_HOST_KEY_UNKNOWN", "E_HOST_KEY_CHANGED", "E_SSH_AUTH"] as const) {
      const options = fx.options(createFap(), oneHost());
      const report = await doctor({ ...options, connector: { ...options.connector, connect: () => Promise.reject(new FapError(code, "refused", { hint: "fix it" })) } });
      expect(report.hosts[0]).toEqual({ host: "a", stage: "production", role: "web", checks: [{ name: code === "E_SSH_AUTH" ? "connect" : "host key", ok: false, message: "refused", hint: "fix it" }] });
    }
  });

  it("report a run_as sudo cannot use as the sudo check", async () => {
    const report = await doctor(fx.options(createFap(), fx.config({ run_as: "fap-no-such-user" }, { hosts: ["a"] })));
    expect(report.ok).toBe(false);
    expect(report.hosts[0]!.checks).toEqual([{ name: "sudo", ok: false, message: "there is no user fap-no-such-user on the host (run_as)", hint: "create the user, or fix run_as" }]);
  });

  it("fails as a whole on an error of its command that is not sudo's", async () => {
    const options = fx.options(createFap(), oneHost());
    const lost: Connector = {
      ...options.connector,
      connect: async (address) => ({ ...(await options.connector.connect(address)), exec: () => Promise.reject(new FapError("E_CONNECTION_LOST", "connection lost", { host: "a" })) }),
    };
    const error = await doctor({ ...options, connector: lost }).then(() => undefined, (thrown: unknown) => thrown as FapError);
    expect(error?.code).toBe("E_CONNECTION_LOST");
  });

  it("is ok only when every check of every host is", async () => {
    expect((await doctor(fx.options(createFap(), fx.config()))).ok).toBe(true);
    const options = fx.options(createFap(), fx.config());
    const report = await doctor({ ...options, connector: { ...options.connector, connect: (address) => (address.host === "b" ? Promise.reject(new Error("no route")) : options.connector.connect(address)) } });
    expect(report.hosts.map((h) => h.checks.every((c) => c.ok))).toEqual([true, false]);
    expect(report.ok).toBe(false);
  });
});

describe("requiredTools", () => {
  it("refuses what only ends or starts like a program path, naming the plugin, with how to write it", () => {
    for (const tool of ["rm -rf /tmp", "/bin/sh; rm -rf x"]) {
      let error: FapError | undefined;
      try {
        requiredTools({ plugins: [{ name: "p:bad", requires: [tool], apply() {} }] });
      } catch (thrown) {
        error = thrown as FapError;
      }
      expect(error?.code, tool).toBe("E_PLUGIN");
      expect(error?.message).toBe(`plugin p:bad: requires '${tool}', which is not a program name or path`);
      expect(error?.hint).toBe("requires lists programs, e.g. ['git', 'tar'], ['/opt/app/bin/tool'] or ['curl|wget'] (either)");
    }
  });
});

describe("doctor's probes", () => {
  it("run on every host at once (up to parallel), each given 30 s: a host that hangs does not hang doctor", async () => {
    const timeouts: Array<number | undefined> = [];
    let running = 0;
    let most = 0;
    let bothStarted!: () => void;
    const both = new Promise<void>((resolve) => (bothStarted = resolve));
    const connector = wrapConnector(fx.connector, (remote) => ({
      async exec(command, options) {
        timeouts.push(options?.timeoutMs);
        most = Math.max(most, ++running);
        if (running === 2) bothStarted();
        // Waits for the other host's probe (at most 2 s): one host at a time never has two.
        await Promise.race([both, new Promise((resolve) => setTimeout(resolve, 2000))]);
        try {
          return await remote.exec(command, options);
        } finally {
          running--;
        }
      },
    }));
    const report = await doctor(fx.options(createFap(), fx.config(), { connector }));
    expect(report.hosts.map((h) => h.host)).toEqual(["a", "b"]);
    expect(most).toBe(2);
    expect(timeouts).toEqual([30_000, 30_000]);
  });
});
