// Fapistrano's "12 factor deployment" page, run: each folder next to this one holds Fapistrano's
// deploy.yml for one factor (pointed at local test hosts), and each case (_guide-examples.ts)
// runs it with this repository's fap binary and checks the one thing that factor is about.
// test/e2e/registry.slow.e2e.test.ts runs the same cases with a globally installed fap.
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { runFap, startTestHosts, type TestHosts } from "../../../test/harness.js";
import { EXAMPLES_DIR, GUIDE_EXAMPLES, startGuideWorld, stopGuideWorld, type GuideWorld } from "./_guide-examples.js";

let hosts: TestHosts;
let work: string;
let world: GuideWorld;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-twelve-factor-")));
  hosts = await startTestHosts({ count: 3 });
  // Runs fap in examples/twelve-factor/FOLDER, where its deploy.yml is; plugins resolve from the monorepo.
  world = await startGuideWorld(hosts, work, (folder, args) => runFap(hosts, path.join(EXAMPLES_DIR, folder), args));
});

afterAll(async () => {
  await stopGuideWorld(hosts);
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("Fapistrano's twelve factors, deployed with fap", () => {
  for (const example of GUIDE_EXAMPLES) {
    it(example.title, async () => {
      await example.deploy(world);
      await example.again?.(world);
    });
  }
});
