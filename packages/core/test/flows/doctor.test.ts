import { writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FapError } from "../../src/errors.js";
import { createFap } from "../../src/fap.js";
import { sh } from "../../src/shell/quote.js";
import { doctor, requiredTools } from "../../src/flows/doctor.js";
import type { FapPlugin } from "../../src/plugin.js";
import { createFixture, type Fixture } from "../_fixture.js";

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});
afterEach(() => fx.cleanup());

const needs = (name: string, requires: string[]): FapPlugin => ({ name, requires, apply() {} });

describe("doctor", () => {
  it("checks each host and says how to fix what is wrong", async () => {
    writeFileSync(`${fx.tmp}/b`, "a file where b's deploy path would go");
    const fap = createFap([needs("p:one", ["sh", "fap-missing-tool"]), needs("p:two", ["fap-missing-tool"])]);
    const report = await doctor(fx.options(fap, fx.config()));
    expect(report.ok).toBe(false);
    const [a, b] = report.hosts;
    expect(a!.checks.map((c) => [c.name, c.ok])).toEqual([
      ["connect", true],
      ["host key", true],
      ["deploy path", true],
      ["disk", true],
      ["lock", true],
      ["sh", true],
      ["fap-missing-tool", false],
    ]);
    expect(a!.checks[0]!.message).toBe("connects as tester@a:22");
    expect(a!.checks.at(-1)).toMatchObject({ message: "fap-missing-tool not found (needed by p:one, p:two)", hint: expect.stringMatching(/^install it on the host, e\.g\. apt-get install fap-missing-tool/) });
    expect(b!.checks.find((c) => c.name === "deploy path")).toMatchObject({ ok: false, message: `${fx.tmp}/b/app cannot be created: ${fx.tmp}/b is not a directory` });
  });

  it("takes any one of `a|b` (curl or wget)", async () => {
    const fap = createFap([needs("p:http", ["fap-missing-tool|sh", "fap-missing-tool|fap-missing-too"])]);
    const report = await doctor(fx.options(fap, fx.config()));
    const [either, neither] = report.hosts[0]!.checks.slice(-2);
    expect(either).toMatchObject({ name: "fap-missing-tool|sh", ok: true, message: expect.stringMatching(/^sh is \/.*sh$/) });
    expect(neither).toMatchObject({ ok: false, message: "fap-missing-tool or fap-missing-too not found (needed by p:http)", hint: expect.stringMatching(/^install one of them on the host/) });
    expect(() => requiredTools({ plugins: [needs("a", ["curl|wget; x"])] })).toThrow(/which is not a program name or path/);
  });

  it("reports a host it cannot reach instead of failing", async () => {
    const fap = createFap();
    const options = fx.options(fap, fx.config());
    const report = await doctor({
      ...options,
      connector: { ...options.connector, connect: (address) => (address.host === "b" ? Promise.reject(new Error("no route")) : options.connector.connect(address)) },
    });
    expect(report.hosts[1]!.checks).toEqual([{ name: "connect", ok: false, message: "no route", hint: undefined }]);
    expect(report.hosts[0]!.checks.every((c) => c.ok)).toBe(true);
  });

  it("runs the checks plugins declare on each host, with the host's config and paths; a check that throws is a ✗ naming its plugin", async () => {
    const seen: string[] = [];
    const plugin: FapPlugin = {
      name: "p:checks",
      apply() {},
      doctor: [
        {
          name: "shell",
          probe: ({ paths }) => sh`cd / && printf '%s\\n' "$0" && test -d ${paths.root}`,
          verdict: ({ stdout, exitCode }, { host, config }) => {
            seen.push(`${host}:${String(config.path)}:${exitCode}`);
            return { ok: stdout.trim() !== "", message: `runs ${stdout.trim()}` };
          },
        },
        { name: "skipped", probe: () => undefined, verdict: () => undefined },
        { name: "local only", probe: () => undefined, verdict: async () => ({ ok: false, message: "the app needs x 2", hint: "install x 2" }) },
        { name: "broken", probe: () => "true", verdict: () => { throw new FapError("E_CONFIG", "cannot read package.json", { hint: "fix it" }); } },
      ],
    };
    const report = await doctor(fx.options(createFap([plugin]), fx.config()));
    const checks = report.hosts[0]!.checks;
    expect(checks.slice(5)).toEqual([
      { name: "shell", ok: true, message: "runs sh" },
      { name: "local only", ok: false, message: "the app needs x 2", hint: "install x 2" },
      { name: "broken", ok: false, message: "[p:checks] cannot read package.json", hint: "fix it" },
    ]);
    expect(seen.sort()).toEqual([`a:${fx.tmp}/a/app:1`, `b:${fx.tmp}/b/app:1`]);
    expect(report.ok).toBe(false);
  });

  it("collects the tools the plugins require, refusing what is not a program", () => {
    expect([...requiredTools({ plugins: [needs("a", ["git", "tar"]), needs("b", ["git", "/opt/x/bin/y"])] })]).toEqual([
      ["git", ["a", "b"]],
      ["tar", ["a"]],
      ["/opt/x/bin/y", ["b"]],
    ]);
    expect(() => requiredTools({ plugins: [needs("a", ["git; rm -rf /"])] })).toThrow(/requires 'git; rm -rf \/', which is not a program name or path/);
  });
});
