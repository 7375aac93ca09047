import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { openSession } from "../../src/run/session.js";
import { useFixture } from "../_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested: what openSession gives a run
// beyond its contexts.

const fx = useFixture();

describe("openSession: the run", () => {
  it("gets a fresh id of 8 hex digits unless one is given", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await openSession("restart", fx.options(createFap(), fx.config()))).deployId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect((await openSession("restart", fx.options(createFap(), fx.config(), { deployId: "mine" }))).deployId).toBe("mine");
  });
});
