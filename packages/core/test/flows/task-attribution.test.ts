import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FapConfig } from "../../src/config/types.js";
import type { FapEventMap } from "../../src/events.js";
import { createFap, type FapInstance } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { runTask } from "../../src/flows/task.js";
import type { FapPlugin } from "../../src/plugin.js";
import { parallel, task } from "../../src/tasks/task.js";
import { createFixture, type Fixture } from "../_fixture.js";

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});
afterEach(() => fx.cleanup());

function config(extra: Record<string, unknown> = {}): FapConfig {
  return { ...extra, stage_role_configs: { production: { web: { hosts: ["a"], path: `${fx.tmp}/%(host)s/app` } } } };
}

/** A plugin with one task whose commands interleave with the other plugin's: each waits in between. */
function pluginWithTask(plugin: string, name: string, wait: string): FapPlugin {
  const steps = task({
    description: name,
    run: async (ctx) => {
      await ctx.run(`echo ${name} 1`);
      await ctx.run(`sleep ${wait}; echo ${name} 2`);
      await ctx.run(`echo ${name} 3`);
    },
  });
  return { name: plugin, tasks: { [name]: steps }, apply() {} };
}

const plugins = () => [pluginWithTask("plug-a", "a:one", "0.3"), pluginWithTask("plug-b", "b:two", "0.1")];

function commandsOf(fap: FapInstance): Array<FapEventMap["command"][0]> {
  const seen: Array<FapEventMap["command"][0]> = [];
  fap.events.on("command", (e) => seen.push(e));
  return seen;
}

/** Each task's commands as `phase plugin`; the command names the task that sent it. */
function attribution(commands: ReadonlyArray<FapEventMap["command"][0]>, name: string): string[] {
  return commands.filter((c) => c.command.includes(`echo ${name} `)).map((c) => `${c.phase} ${c.plugin}`);
}

describe("the steps of a parallel() task on one host", () => {
  it("name each its own phase and task in command events (fap run)", async () => {
    const fap = createFap(plugins(), { tasks: { both: task({ description: "both", run: parallel("a:one", "b:two") }) } });
    const commands = commandsOf(fap);
    await runTask(fx.options(fap, config()), "both");
    expect(attribution(commands, "a:one")).toEqual(Array(3).fill("a:one task a:one"));
    expect(attribution(commands, "b:two")).toEqual(Array(3).fill("b:two task b:two"));
  });

  it("name the hook's phase and each its own task when run at a hook", async () => {
    const fap = createFap(plugins(), { tasks: { both: task({ description: "both", run: parallel("a:one", "b:two") }) } });
    const commands = commandsOf(fap);
    await deploy(fx.options(fap, config({ hooks: { published: ["both"] } })));
    expect(attribution(commands, "a:one")).toEqual(Array(3).fill("published task a:one"));
    expect(attribution(commands, "b:two")).toEqual(Array(3).fill("published task b:two"));
  });
});
