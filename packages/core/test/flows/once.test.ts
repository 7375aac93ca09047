import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import { once } from "../../src/flows/once.js";
import { recordEvents, rejection, useFixture } from "../_fixture.js";

const fx = useFixture();

describe("once", () => {
  it("runs the command in current on every host and reports its output", async () => {
    const id = (await deploy(fx.options(createFap(), fx.config()))).hosts[0]!.release!;
    const fap = createFap();
    const events = recordEvents(fap);

    const result = await once(fx.options(fap, fx.config()), "pwd -P; echo to-stderr >&2");

    expect(result).toEqual({ failedHosts: [] });
    const output = events.flatMap((e) => (e.type === "output" ? [`${e.event.host} ${e.event.stream} ${e.event.line}`] : []));
    expect(output.sort()).toEqual([
      `a stderr to-stderr`,
      `a stdout ${join(fx.root("a"), "releases", id)}`,
      `b stderr to-stderr`,
      `b stdout ${join(fx.root("b"), "releases", id)}`,
    ]);
    const results = events.flatMap((e) => (e.type === "host-result" ? [[e.event.host, e.event.ok]] : []));
    expect(results.sort()).toEqual([
      ["a", true],
      ["b", true],
    ]);
  });

  it("runs on every host and then fails, naming the hosts whose command failed", async () => {
    await deploy(fx.options(createFap(), fx.config()));
    const fap = createFap();
    const events = recordEvents(fap);

    const error = await rejection(once(fx.options(fap, fx.config()), `case "$PWD" in */a/app/current) exit 1;; esac`));

    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toBe("the command failed on a");
    expect(error.details).toEqual({ hosts: ["a"] });
    const results = events.flatMap((e) => (e.type === "host-result" ? [[e.event.host, e.event.ok, e.event.error]] : []));
    expect(results.sort()).toEqual([
      ["a", false, "exit 1"],
      ["b", true, undefined],
    ]);
  });
});
