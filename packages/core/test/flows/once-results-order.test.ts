import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { once } from "../../src/flows/once.js";
import { quote } from "../../src/shell/quote.js";
import { useFixture } from "../_fixture.js";

// `fap once` runs on every host at once; what it reports must not depend on which host's
// command ended first (the summary table's rows come in host-result order).
const fx = useFixture();

describe("once", () => {
  it("reports each host's result in the run's order, not the order the hosts finished in", async () => {
    await deploy(fx.options(createFap(), fx.config()));
    const fap = createFap();
    const bEnded = join(fx.tmp, "b-ended");
    // a's command ends only once b's has (10 s at most): b's result is known first, every time.
    fap.events.on("command-end", (event) => event.host === "b" && writeFileSync(bEnded, ""));
    const results: string[] = [];
    fap.events.on("host-result", (event) => results.push(event.host));
    const waitForB = `i=0; until test -e ${quote(bEnded)} || [ $i -ge 200 ]; do sleep 0.05; i=$((i+1)); done`;
    await once(fx.options(fap, fx.config()), `case "$PWD" in */a/app/current) ${waitForB};; esac`);
    expect(results).toEqual(["a", "b"]);
  });
});
