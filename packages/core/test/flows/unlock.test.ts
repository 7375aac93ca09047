import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { unlock } from "../../src/flows/unlock.js";
import { recordEvents, useFixture } from "../_fixture.js";
import { cuttableConnector } from "../_wrap-connector.js";

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

  it("frees the lock on the hosts it reaches and warns of each one whose command failed", async () => {
    for (const host of ["a", "b"]) mkdirSync(join(fx.root(host), ".fap", "lock"), { recursive: true });
    const { cut, connector } = cuttableConnector(fx.connector);
    cut.add("b");
    const fap = createFap();
    const events = recordEvents(fap);
    await unlock(fx.options(fap, fx.config(), { connector }));
    expect(existsSync(join(fx.root("a"), ".fap", "lock"))).toBe(false);
    expect(existsSync(join(fx.root("b"), ".fap", "lock"))).toBe(true);
    const warnings = events.flatMap((e) => (e.type === "log" ? [[e.event.host, e.event.level, e.event.message]] : []));
    expect(warnings).toEqual([["b", "warn", "clean-up failed: connection lost"]]);
  });
});
