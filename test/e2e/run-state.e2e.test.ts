import { cp } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

const testHosts = useTestHosts(1, { installed: true });
const { project } = testHosts;

/** A plugin with one task whose commands interleave with the other's: each sleeps in between. */
const plugin = (name: string, taskName: string, wait: string) => `import { task } from "@fap/core";
export default () => ({
  name: "${name}",
  tasks: {
    "${taskName}": task({ description: "${taskName}", run: async (ctx) => {
      await ctx.run("echo ${taskName} 1");
      await ctx.run("sleep ${wait}; echo ${taskName} 2");
      await ctx.run("echo ${taskName} 3");
    } }),
  },
  apply() {},
});
`;

const CONFIG = `import { defineConfig, parallel, task } from "@fap/cli";

export default defineConfig({
  app_name: "state",
  path: "/srv/www/%(app_name)s",
  plugins: ["./plug-a.mjs", "./plug-b.mjs"],
  tasks: { both: task({ description: "both at once", run: parallel("a:one", "b:two") }) },
  stage_role_configs: { production: { web: { hosts: ["host1"] } } },
});
`;

interface JsonLine {
  type: string;
  command?: string;
  phase?: string;
  plugin?: string;
}

describe("run state per host", () => {
  it("names the right task and phase in each command event of a parallel() task's steps on one host", async () => {
    const dir = await project({ "deploy.config.ts": CONFIG, "plug-a.mjs": plugin("plug-a", "a:one", "0.5"), "plug-b.mjs": plugin("plug-b", "b:two", "0.2") });
    const run = await runFap(testHosts.hosts, dir, ["run", "both", "-s", "production", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const commands = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as JsonLine).filter((e) => e.type === "command");
    const of = (name: string) => commands.filter((c) => c.command!.includes(`echo ${name} `)).map((c) => `${c.phase} ${c.plugin}`);
    expect(of("a:one")).toEqual(Array(3).fill("a:one task a:one"));
    expect(of("b:two")).toEqual(Array(3).fill("b:two task b:two"));
  });
});

/** Fails in updating, as a plugin that bundles its own copy of @fap/core would: that copy's FapError. */
const OWN_CORE_PLUGIN = `import { FapError } from "./own-core/dist/index.js";
export default () => ({
  name: "plug-own-core",
  apply(fap) {
    fap.hooks.updating.tapPromise("plug-own-core", async () => {
      throw new FapError("E_CONFIG", "greeting must be a string", { hint: "set greeting: hello" });
    });
  },
});
`;

const FAILING = `import { defineConfig } from "@fap/cli";

export default defineConfig({
  app_name: "failing",
  path: "/srv/www/%(app_name)s",
  plugins: ["./own-core-plugin.mjs"],
  stage_role_configs: { production: { web: { hosts: ["host1"] } } },
});
`;

describe("errors of taps", () => {
  it("carry plugin, hook and host as --json fields, and a FapError of another copy of core keeps its code and hint", async () => {
    const dir = await project({ "deploy.config.ts": FAILING, "own-core-plugin.mjs": OWN_CORE_PLUGIN });
    await cp(path.resolve("packages/core/dist"), path.join(dir, "own-core/dist"), { recursive: true });
    await cp(path.resolve("packages/core/package.json"), path.join(dir, "own-core/package.json"));

    const json = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--json"]);
    expect(json.code, json.stderr).toBe(2); // E_CONFIG: the user's to fix
    const end = JSON.parse(json.stdout.trim().split("\n").at(-1)!) as { error: { code: string; hint?: string; failures: unknown[] } };
    expect(end.error.code).toBe("E_CONFIG");
    expect(end.error.hint).toMatch(/^set greeting: hello/);
    expect(end.error.failures).toEqual([
      { host: "host1", stage: "production", role: "web", phase: "updating", code: "E_CONFIG", message: "greeting must be a string", plugin: "plug-own-core", hook: "updating" },
    ]);

    const human = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/^error: deploy failed on 1 host: host1 \(updating\): \[plug-own-core\] updating: greeting must be a string$/m);
    expect(human.stderr).toMatch(/^hint: set greeting: hello/m);
  });
});
