import { FapError, sh, task, type FapPlugin } from "@fap/core";
import { describe, expect, it } from "vitest";
import {
  checkTestHostSupport,
  deployWith,
  readDeployState,
  readHostFile,
  restartWith,
  rollbackWith,
  runTaskWith,
} from "../src/index.js";
import { useTestHosts } from "./_use-test-hosts.js";

const unsupported = await checkTestHostSupport().then(() => "", (error: Error) => error.message);

/** A plugin as an author would write one: a key with a default, a file written into each release. */
function stamp(options: { fail?: "updated" | "published" } = {}): FapPlugin {
  const name = "test-stamp";
  return {
    name,
    config: { stamp_text: { type: "string", default: "stamped", description: "what STAMP holds" } },
    tasks: {
      "stamp:touch": task({
        description: "touch TOUCHED in current",
        run: async (ctx) => {
          await ctx.run(sh`touch ${`${ctx.paths.current}/TOUCHED`}`);
        },
      }),
    },
    apply({ hooks }) {
      hooks.updated.tapPromise(name, async (ctx) => {
        await ctx.run(sh`printf '%s\\n' ${String(ctx.config.stamp_text)} ${ctx.host} > STAMP`, { cwd: ctx.paths.release });
        ctx.log("stamped");
        if (options.fail === "updated") throw new FapError("E_CONFIG", "stamp refused");
      });
      hooks.published.tapPromise(name, async (ctx) => {
        if (ctx.flow === "deploy" && options.fail === "published") throw new Error("the app did not come up");
      });
      hooks.restarting.tapPromise(name, async (ctx) => {
        await ctx.run(sh`touch ${`${ctx.paths.current}/RESTARTED`}`);
      });
    },
  };
}

describe.skipIf(unsupported)("deployWith and friends", () => {
  const testHosts = useTestHosts(2);

  it("deploys with the plugin to every host, with the default config", async () => {
    const run = await deployWith(testHosts(), { plugins: [stamp()] });
    expect(run.hosts.map((h) => [h.host, h.stage, h.role])).toEqual([
      ["host1", "test", "app"],
      ["host2", "test", "app"],
    ]);
    for (const host of testHosts().hosts) {
      expect(await readHostFile(host, "/srv/www/app/current/STAMP")).toBe(`stamped\n${host.alias}\n`);
      const state = await readDeployState(host, "/srv/www/app");
      expect(state.releases).toHaveLength(1);
      expect(state.current).toBe(state.releases[0]);
      expect(state.log.map((entry) => entry.status)).toEqual(["pending", "live", "ok"]);
    }
    expect(run.output).toContain("host1 stamped");
    expect(run.output).toContain("== updated");
    expect(run.output.some((line) => line.startsWith("host2 $ ") && line.includes("> STAMP"))).toBe(true);
  });

  it("takes config keys, command-line values and a stage and role of the author's choosing", async () => {
    const lines: string[] = [];
    await deployWith(testHosts(), {
      plugins: [[stamp()], false],
      config: {
        app_name: "custom",
        stamp_text: "from config",
        stage_role_configs: { staging: { web: { hosts: ["host1"] } }, production: { web: { hosts: ["host2"] } } },
      },
      stage: "production",
      set: { stamp_text: "from the command line" },
      onOutput: (line) => lines.push(line),
    });
    const [host1, host2] = testHosts().hosts;
    expect(await readHostFile(host2!, "/srv/www/custom/current/STAMP")).toBe("from the command line\nhost2\n");
    expect(await readHostFile(host1!, "/srv/www/custom/current/STAMP")).toBeUndefined();
    expect(lines).toContain("host2 stamped");
  });

  it("rejects with fap's error and leaves current alone when a tap fails before publishing", async () => {
    const before = await readDeployState(testHosts().hosts[0]!, "/srv/www/app");
    await expect(deployWith(testHosts(), { plugins: [stamp({ fail: "updated" })] })).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringMatching(/\[test-stamp\] updated: stamp refused/),
    });
    const after = await readDeployState(testHosts().hosts[0]!, "/srv/www/app");
    expect(after.current).toBe(before.current);
    expect(after.releases).toEqual(before.releases);
  });

  it("switches every host back when published fails, as fap does", async () => {
    const before = await readDeployState(testHosts().hosts[1]!, "/srv/www/app");
    await expect(deployWith(testHosts(), { plugins: [stamp({ fail: "published" })] })).rejects.toThrow(/the app did not come up/);
    const after = await readDeployState(testHosts().hosts[1]!, "/srv/www/app");
    expect(after.current).toBe(before.current);
    expect(after.log.at(-1)?.status).toBe("failed");
  });

  it("rolls back and restarts", async () => {
    const host = testHosts().hosts[0]!;
    const first = (await readDeployState(host, "/srv/www/app")).current;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // release ids have a resolution of one second
    await deployWith(testHosts(), { plugins: [stamp()] });
    expect((await readDeployState(host, "/srv/www/app")).current).not.toBe(first);
    await rollbackWith(testHosts(), { plugins: [stamp()] });
    expect((await readDeployState(host, "/srv/www/app")).current).toBe(first);
    await restartWith(testHosts(), { plugins: [stamp()] });
    expect(await readHostFile(host, "/srv/www/app/current/RESTARTED")).toBe("");
  });

  it("runs the plugin's tasks and the config's", async () => {
    const config = { tasks: { "app:note": { description: "write NOTE", run: "echo noted > NOTE" } } };
    const touched = await runTaskWith(testHosts(), "stamp:touch", { plugins: [stamp()], config });
    expect(touched.hosts.map((h) => h.host)).toEqual(["host1", "host2"]);
    await runTaskWith(testHosts(), "app:note", { plugins: [stamp()], config });
    for (const host of testHosts().hosts) {
      expect(await readHostFile(host, "/srv/www/app/current/TOUCHED")).toBe("");
      expect(await readHostFile(host, "/srv/www/app/current/NOTE")).toBe("noted\n");
    }
  });

  it("changes nothing under dryRun", async () => {
    const host = testHosts().hosts[0]!;
    const before = await readDeployState(host, "/srv/www/app");
    const run = await deployWith(testHosts(), { plugins: [stamp()], dryRun: true });
    expect(await readDeployState(host, "/srv/www/app")).toEqual(before);
    expect(run.output.some((line) => line.includes("STAMP"))).toBe(true);
  });

  it("refuses plugins given inside config", async () => {
    await expect(deployWith(testHosts(), { config: { plugins: [stamp()] } as never })).rejects.toThrow(/pass plugins as options.plugins/);
  });
});
