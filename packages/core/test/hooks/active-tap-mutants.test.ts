import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import type { FapPlugin } from "../../src/plugin.js";
import { recordEvents, rejection, useFixture } from "../_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested: the commands a tap sends are
// named after its plugin whatever way it tapped (tapable's tap, tapAsync or tapPromise).

const fx = useFixture();

const plugin = (apply: FapPlugin["apply"]): FapPlugin => ({ name: "test:kinds", apply });

describe("commands sent by a tap", () => {
  it("name the tap's plugin, for tapAsync as for tapPromise", async () => {
    const fap = createFap([
      plugin(({ hooks }) => {
        hooks.updated.tapAsync("test:async", (ctx, done) => {
          ctx.run("echo from-async").then(() => done(), done);
        });
        hooks.updated.tapPromise("test:promise", (ctx) => ctx.run("echo from-promise"));
      }),
    ]);
    const events = recordEvents(fap);
    await deploy(fx.options(fap, fx.config({}, { hosts: ["a"] })));
    const sent = events.flatMap((e) => (e.type === "command" && e.event.command.includes("echo from-") ? [e.event.plugin] : []));
    expect(sent).toEqual(["test:async", "test:promise"]);
  });

  it("of a sync tap, deferred (it cannot wait), name its plugin when they fail", async () => {
    const fap = createFap([
      plugin(({ hooks }) => {
        hooks.updated.tap("test:sync", (ctx) => void ctx.run("exit 3", { defer: true }));
      }),
    ]);
    const error = await rejection(deploy(fx.options(fap, fx.config({}, { hosts: ["a"] }))));
    expect(error.message).toContain("`exit 3` (deferred by test:sync in updated) exited with 3");
  });
});
