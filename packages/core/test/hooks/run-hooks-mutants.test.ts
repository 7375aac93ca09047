import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import type { FapPlugin } from "../../src/plugin.js";
import { rejection, useFixture } from "../_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested: what the run-wide hooks
// (building, built, succeeded, failed, completed) give their taps; only plugins' tests, which
// run core's built dist, read it before.

const fx = useFixture();

/** A plugin recording, for each run-wide hook, what its tap was given (the build stage runs before any host is connected: no hosts yet). */
function recorder(seen: string[]): FapPlugin {
  return {
    name: "test:recorder",
    apply({ hooks }) {
      hooks.building.tapPromise("test:recorder", async (run) => void seen.push(`building ${run.flow} ${run.hosts.length}`));
      hooks.built.tapPromise("test:recorder", async (run) => void seen.push(`built ${run.flow} ${run.hosts.length}`));
      hooks.succeeded.tapPromise("test:recorder", async (summary, run) => void seen.push(`succeeded ${summary.ok} ${run.flow}`));
      hooks.failed.tapPromise("test:recorder", async (error, run, summary) => void seen.push(`failed ${error.code} ${run.flow} ${summary.ok}`));
      hooks.completed.tapPromise("test:recorder", async (summary, run) => void seen.push(`completed ${summary.ok} ${run.flow}`));
    },
  };
}

describe("the run-wide hooks", () => {
  it("give their taps the run, and the summary, of a deploy that succeeds", async () => {
    const seen: string[] = [];
    await deploy(fx.options(createFap([recorder(seen)]), fx.config()));
    expect(seen).toEqual(["building deploy 0", "built deploy 0", "succeeded true deploy", "completed true deploy"]);
  });

  it("give their taps the error, the run and the summary of a deploy that fails", async () => {
    const seen: string[] = [];
    await rejection(deploy(fx.options(createFap([recorder(seen)]), fx.config({ hooks: { updated: "exit 1" } }))));
    expect(seen).toEqual(["building deploy 0", "built deploy 0", "failed E_COMMAND_FAILED deploy false", "completed false deploy"]);
  });
});
