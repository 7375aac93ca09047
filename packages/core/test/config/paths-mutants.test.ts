import { describe, expect, it } from "vitest";
import { checkFlagSeconds, checkTimerMs, describeRange, DURATIONS, MAX_TIMER_SECONDS, secondsWithin } from "../../src/config/durations.js";
import { checkDistinctHostPaths, normaliseHostPath } from "../../src/config/host-path.js";
import type { Target } from "../../src/config/select.js";
import { hostPaths, runtimeLayer } from "../../src/config/target-layout.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: duration ranges at their
// limits, host paths' refusals and normal forms, and the values fap computes for a target.
describe("durations: limits and messages", () => {
  it("refuses 0 where a duration must be above it, and takes it where it may be 0", () => {
    expect(secondsWithin(DURATIONS.command_timeout)(0)).toBe("must be a number of seconds above 0 and at most 2147483 (24 days)");
    expect(secondsWithin(DURATIONS.command_timeout)(0.5)).toBeUndefined();
    expect(secondsWithin(DURATIONS.canary_wait)(0)).toBeUndefined();
    expect(secondsWithin(DURATIONS.canary_wait)(-0.5)).toBe("must be a number of seconds at least 0 and at most 2147483 (24 days)");
  });

  it("gives long ranges in years", () => {
    expect(secondsWithin(DURATIONS.lock_ttl)(DURATIONS.lock_ttl.max)).toBeUndefined();
    expect(secondsWithin(DURATIONS.lock_ttl)(DURATIONS.lock_ttl.max + 1)).toBe("must be a number of seconds above 0 and at most 315360000 (10 years)");
    expect(describeRange({ min: 0, aboveMin: false, max: 2 * 365 * 86400 })).toBe("at least 0 and at most 63072000 (2 years)");
    expect(describeRange({ min: 0, aboveMin: false, max: 364 * 86400 })).toBe("at least 0 and at most 31449600 (364 days)");
  });

  it("refuses a value that is no number", () => {
    expect(secondsWithin(DURATIONS.canary_wait)("5")).toBe("must be a number of seconds at least 0 and at most 2147483 (24 days)");
  });

  it("refuses a blank flag value, naming the flag, its range and an example", () => {
    const error = thrown(() => checkFlagSeconds("--lock-wait", " "));
    expect(error.code).toBe("E_USAGE");
    expect(error.message).toBe("--lock-wait  : expected a number of seconds at least 0 and at most 2147483 (24 days)");
    expect(error.hint).toBe("e.g. --lock-wait 30");
    expect(checkFlagSeconds("--lock-wait", " 2.5 ")).toBe(2.5);
  });

  it("takes a plugin's timeout up to Node's limit, and names the host of one past it", () => {
    expect(checkTimerMs(MAX_TIMER_SECONDS * 1000, "web1")).toBe(MAX_TIMER_SECONDS * 1000);
    expect(checkTimerMs(0.5, "web1")).toBe(0.5);
    const error = thrown(() => checkTimerMs(MAX_TIMER_SECONDS * 1000 + 1, "web1"));
    expect(error.code).toBe("E_PLUGIN");
    expect(error.host).toBe("web1");
    expect(error.message).toBe(`run(command, { timeoutMs: ${MAX_TIMER_SECONDS * 1000 + 1} }): expected milliseconds above 0 and at most ${MAX_TIMER_SECONDS * 1000}`);
  });
});

describe("host paths", () => {
  it("normalises repeated, trailing and `.` parts", () => {
    expect(normaliseHostPath("path", "/srv//app/./x/", "production.web")).toBe("/srv/app/x");
  });

  it.each<[unknown, string, string]>([
    [undefined, "production.web: path must be absolute, got ''", "write the full path, e.g. /home/deploy/www/myapp (~ is not expanded)"],
    [null, "production.web: path must be absolute, got ''", "write the full path, e.g. /home/deploy/www/myapp (~ is not expanded)"],
    ["~/app", "production.web: path must be absolute, got '~/app'", "write the full path, e.g. /home/deploy/www/myapp (~ is not expanded)"],
    ["/srv/../etc", "production.web: path must not contain '..', got '/srv/../etc'", "write the path without '..', e.g. /home/deploy/www/myapp"],
    ["/", "production.web: path must not be /", "deploy into a directory of its own, e.g. /home/deploy/www/myapp"],
    ["/./", "production.web: path must not be /, got '/./'", "deploy into a directory of its own, e.g. /home/deploy/www/myapp"],
  ])("refuses %j, saying what to write", (value, message, hint) => {
    const error = thrown(() => normaliseHostPath("path", value, "production.web"));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(message);
    expect(error.hint).toBe(hint);
  });

  it("refuses two path keys naming one directory, suggesting the default", () => {
    const paths = { path: "/srv/app", releases_path: "/srv/app/releases", current_path: "/srv/app/releases", shared_path: "/srv/app/shared" };
    const error = thrown(() => checkDistinctHostPaths(paths, "production.web"));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("production.web: current_path and releases_path are both /srv/app/releases");
    expect(error.hint).toBe("give current_path a directory of its own, e.g. the default %(path)s/current");
  });

  it("takes four distinct directories", () => {
    expect(() => checkDistinctHostPaths({ path: "/a", releases_path: "/a/r", current_path: "/a/c", shared_path: "/a/s" }, "p.w")).not.toThrow();
  });
});

describe("a target's layout", () => {
  const target: Target = { stage: "production", role: "web", host: "web1", primary: true, labels: {}, layers: [] };
  const address = { hostname: "10.0.0.1", port: 22, user: "deploy" };

  it("computes the runtime values of a deploy", () => {
    expect(runtimeLayer(target, address, "2", "1", "deploy")).toEqual({
      name: "runtime",
      label: "runtime",
      values: {
        stage: "production",
        role: "web",
        host: "web1",
        user: "deploy",
        release: "2",
        release_path: "%(releases_path)s/2",
        previous_release: "1",
        previous_release_path: "%(releases_path)s/1",
        rollback_from: "",
        rollback_to: "",
      },
    });
  });

  it("leaves the release values empty when there is no release", () => {
    expect(runtimeLayer(target, address, undefined, undefined).values).toMatchObject({
      release: "",
      release_path: "",
      previous_release: "",
      previous_release_path: "",
      rollback_from: "",
      rollback_to: "",
    });
  });

  it("names a rollback's two releases, or none when they are unknown", () => {
    expect(runtimeLayer(target, address, "1", "2", "rollback").values).toMatchObject({ rollback_from: "2", rollback_to: "1" });
    expect(runtimeLayer(target, address, undefined, undefined, "rollback").values).toMatchObject({ rollback_from: "", rollback_to: "" });
  });

  it("gives the host's paths, normalised, with the release log beside the releases", () => {
    const config = { values: { path: "/srv/app/", releases_path: "/srv/app/r", current_path: "/srv/app/c", shared_path: "/srv/app/s" }, sources: {} };
    expect(hostPaths(config, target)).toEqual({
      root: "/srv/app",
      releases: "/srv/app/r",
      current: "/srv/app/c",
      shared: "/srv/app/s",
      meta: "/srv/app/.fap",
      release: undefined,
    });
    const same = { ...config, values: { ...config.values, shared_path: "/srv/app" } };
    expect(thrown(() => hostPaths(same, target)).message).toBe("production.web: shared_path and path are both /srv/app");
  });
});
