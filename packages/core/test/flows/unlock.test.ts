import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { unlock } from "../../src/flows/unlock.js";
import { useFixture } from "../_fixture.js";

const fx = useFixture();

describe("unlock", () => {
  it("frees the lock on every host, whoever holds it, whatever its info says", async () => {
    mkdirSync(join(fx.root("a"), ".fap", "lock"), { recursive: true });
    writeFileSync(join(fx.root("a"), ".fap", "lock", "info"), "garbled");
    mkdirSync(join(fx.root("b"), ".fap", "lock"), { recursive: true });
    await unlock(fx.options(createFap(), fx.config()));
    expect(existsSync(join(fx.root("a"), ".fap", "lock"))).toBe(false);
    expect(existsSync(join(fx.root("b"), ".fap", "lock"))).toBe(false);
  });
});
