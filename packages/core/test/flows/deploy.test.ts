import { existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HostContext } from "../../src/context.js";
import { FapError } from "../../src/errors.js";
import { sh } from "../../src/shell/quote.js";
import { createFap } from "../../src/fap.js";
import { deploy } from "../../src/flows/deploy.js";
import type { FapPlugin } from "../../src/plugin.js";
import { createFixture, HOSTS, isSymlink, recordEvents, rejection, type Fixture } from "../_fixture.js";
import { failAt } from "../_test-plugins.js";

let fx: Fixture;
beforeEach(() => {
  fx = createFixture();
});
afterEach(() => fx.cleanup());

const DEPLOY_PHASES = ["starting", "started", "updating", "updated", "publishing", "published", "checking", "finishing", "finished"];

describe("deploy", () => {
  it("builds a release on every host and points current at the newest", async () => {
    const config = fx.config({ linked_files: ["config/settings.py"], linked_dirs: ["log", "public/uploads"] });
    mkdirSync(join(fx.root("a"), "shared", "config"), { recursive: true });
    writeFileSync(join(fx.root("a"), "shared", "config", "settings.py"), "SECRET = 'kept'\n");

    const first = await deploy(fx.options(createFap(), config));
    const second = await deploy(fx.options(createFap(), config));

    const [firstId, secondId] = [first.hosts[0]?.release, second.hosts[0]?.release];
    expect(firstId).toBe("240102-030406");
    expect(secondId).toBe("240102-030407");
    expect(second.hosts).toEqual(HOSTS.map((host) => ({ host, stage: "production", role: "web", release: secondId })));

    for (const host of HOSTS) {
      const root = fx.root(host);
      expect(readlinkSync(join(root, "current"))).toBe(`releases/${secondId}`);
      expect(fx.releases(host)).toEqual([firstId, secondId]);
      const release = join(root, "releases", secondId!);
      for (const linked of ["config/settings.py", "log", "public/uploads"]) {
        expect(isSymlink(join(release, linked))).toBe(true);
        expect(readlinkSync(join(release, linked))).toBe(join(root, "shared", linked));
      }
      expect(existsSync(join(root, "shared", "public", "uploads"))).toBe(true);
      expect(fx.logLines(host).map((e) => [e.id, e.status])).toEqual([
        [firstId, "pending"],
        [firstId, "live"],
        [firstId, "ok"],
        [secondId, "pending"],
        [secondId, "live"],
        [secondId, "ok"],
      ]);
      expect(fx.logLines(host)[5]).toMatchObject({ deploy: second.deployId, user: expect.any(String), time: expect.any(String) });
    }
    // A file already in shared/ is linked, never replaced; a missing one is created empty.
    expect(readFileSync(join(fx.root("a"), "current", "config", "settings.py"), "utf8")).toBe("SECRET = 'kept'\n");
    expect(readFileSync(join(fx.root("b"), "current", "config", "settings.py"), "utf8")).toBe("");
  });

  it("seeds shared/ from what the first release holds at a linked path", async () => {
    const config = fx.config({
      linked_dirs: ["log"],
      linked_files: [".env"],
      hooks: { updating: ["mkdir -p log && echo first > log/seed", "echo FROM_RELEASE=1 > .env"] },
    });
    await deploy(fx.options(createFap(), config));
    await deploy(fx.options(createFap(), fx.config({ linked_dirs: ["log"], linked_files: [".env"], hooks: { updating: "echo FROM_RELEASE=2 > .env" } })));
    for (const host of HOSTS) {
      expect(readFileSync(join(fx.root(host), "shared", "log", "seed"), "utf8")).toBe("first\n");
      expect(readFileSync(join(fx.root(host), "current", ".env"), "utf8")).toBe("FROM_RELEASE=1\n");
    }
  });

  it("keeps keep_releases releases after 7 deploys", async () => {
    const config = fx.config({ keep_releases: 5 });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await deploy(fx.options(createFap(), config))).hosts[0]!.release!);
    for (const host of HOSTS) {
      expect(fx.releases(host)).toEqual(ids.slice(2));
      expect(fx.current(host)).toBe(ids[6]);
      expect(fx.log(host).size).toBe(7);
    }
  });

  it("gives same-second deploys ordered suffixes and prunes the oldest", async () => {
    const config = fx.config({ keep_releases: 5 });
    const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      ids.push((await deploy(fx.options(createFap(), config, { now: () => at }))).hosts[0]!.release!);
    }
    expect(ids).toEqual(["240102-030405", ...[2, 3, 4, 5, 6, 7, 8].map((n) => `240102-030405-${n}`)]);
    for (const host of HOSTS) {
      expect(fx.releases(host)).toEqual(ids.slice(3));
      expect(fx.current(host)).toBe("240102-030405-8");
    }
  });

  it("counts keep_releases per role value and does not count failed releases", async () => {
    const config = fx.config({}, { keep_releases: 2 });
    const good1 = (await deploy(fx.options(createFap(), config))).hosts[0]!.release!;
    // A failed release whose directory a crash left behind.
    mkdirSync(join(fx.root("a"), "releases", "240102-030406-2"));
    writeFileSync(
      join(fx.root("a"), ".fap", "releases.log"),
      JSON.stringify({ id: "240102-030406-2", status: "failed", time: "t", user: "u", deploy: "d" }) + "\n",
      { flag: "a" },
    );
    const good2 = (await deploy(fx.options(createFap(), config))).hosts[0]!.release!;
    const good3 = (await deploy(fx.options(createFap(), config))).hosts[0]!.release!;
    expect(fx.releases("a")).toEqual([good2, good3]);
    expect(fx.releases("b")).toEqual([good2, good3]);
    expect(good1).not.toBe(good2);
  });

  it("stops everywhere when one host fails before publishing: no current moves, the new release is removed", async () => {
    const config = fx.config();
    const before = (await deploy(fx.options(createFap(), config))).hosts[0]!.release!;
    const failedRuns: FapError[] = [];
    const notify: FapPlugin = {
      name: "test:notify",
      apply({ hooks }) {
        hooks.failed.tapPromise("test:notify", async (error) => void failedRuns.push(error));
      },
    };
    const fap = createFap([failAt("updating", "b", "fatal: couldn't find remote ref main"), notify]);
    const events = recordEvents(fap);

    const error = await rejection(deploy(fx.options(fap, config)));

    expect(error).toBeInstanceOf(FapError);
    expect(error.code).toBe("E_PLUGIN");
    expect(error.message).toBe("deploy failed on 1 host: b (updating): [test:fail] updating: fatal: couldn't find remote ref main");
    expect(error.hint).toBe("no host was switched; the new release was removed from every host");
    expect(failedRuns).toEqual([error]);
    const attempted = "240102-030407";
    for (const host of HOSTS) {
      expect(fx.current(host)).toBe(before);
      expect(fx.releases(host)).toEqual([before]);
      // The release directory waits for a host's next command; no command ran, so none was made.
      expect(fx.log(host).get(attempted)).toBeUndefined();
      expect(fx.log(host).get(before)?.status).toBe("ok");
    }
    // The host that failed stopped the deploy: no host got to `updated` or `publishing`.
    const phases = events.flatMap((e) => (e.type === "phase" && e.event.state === "start" ? [e.event.phase] : []));
    expect(phases).toEqual(["building", "built", "starting", "started", "updating"]);
    const results = events.flatMap((e) => (e.type === "host-result" ? [e.event] : []));
    expect(results.map((r) => [r.host, r.ok, r.phase, r.state, r.note])).toEqual([
      ["a", false, undefined, "not-switched", "not switched"],
      ["b", false, "updating", "not-switched", "not switched"],
    ]);
  });

  it("removes the release of a first deploy that failed, leaving no current", async () => {
    const error = await rejection(deploy(fx.options(createFap([failAt("updated", "a")]), fx.config())));
    expect(error.message).toBe("deploy failed on 1 host: a (updated): [test:fail] updated: boom");
    for (const host of HOSTS) {
      expect(fx.current(host)).toBeUndefined();
      expect(fx.releases(host)).toEqual([]);
    }
    // b made its release (sent last thing in `updated`), so its log says it failed; a failed
    // before sending anything, and its unlock removed the directories the lock made: no trace.
    expect([...fx.log("b").values()].map((e) => e.status)).toEqual(["failed"]);
    expect(existsSync(fx.root("a"))).toBe(false);
  });

  it("puts every host back on its previous release when publishing fails on one", async () => {
    const config = fx.config();
    const before = (await deploy(fx.options(createFap(), config))).hosts[0]!.release!;

    const error = await rejection(deploy(fx.options(createFap([failAt("published", "b", "health check failed")]), config)));

    expect(error.message).toBe("deploy failed on 1 host: b (published): [test:fail] published: health check failed");
    expect(error.hint).toBe("every host was switched back to the release it had before");
    for (const host of HOSTS) {
      expect(fx.current(host)).toBe(before);
      expect(fx.releases(host)).toEqual([before]);
      expect(fx.log(host).get("240102-030407")?.status).toBe("failed");
      expect(fx.log(host).get(before)?.status).toBe("ok");
    }
  });

  it("removes current again when the first publish fails", async () => {
    await rejection(deploy(fx.options(createFap([failAt("published", "a")]), fx.config())));
    for (const host of HOSTS) {
      expect(fx.current(host)).toBeUndefined();
      expect(isSymlink(join(fx.root(host), "current"))).toBe(false);
      expect(fx.releases(host)).toEqual([]);
    }
  });

  it("keeps the new release live when only finishing fails", async () => {
    const error = await rejection(deploy(fx.options(createFap([failAt("finished", "a")]), fx.config())));
    expect(error.hint).toBe("the new release is live; only finishing steps failed");
    for (const host of HOSTS) expect(fx.current(host)).toBe("240102-030406");
  });

  it("runs the config's hooks in the release directory", async () => {
    const result = await deploy(fx.options(createFap(), fx.config({ hooks: { updated: "echo hi > marker" } })));
    const id = result.hosts[0]!.release!;
    for (const host of HOSTS) {
      expect(readFileSync(join(fx.root(host), "releases", id, "marker"), "utf8")).toBe("hi\n");
    }
  });

  it("runs a plugin's taps before the config's hooks, with the host's resolved config", async () => {
    const seen: string[] = [];
    const spy: FapPlugin = {
      name: "test:spy",
      apply({ hooks }) {
        hooks.updated.tapPromise("test:spy", async (ctx: HostContext) => {
          seen.push(`${ctx.host} ${ctx.flow} ${ctx.config.path} ${ctx.config.release_path}`);
          await ctx.run("echo plugin > order", { cwd: ctx.paths.release! });
        });
      },
    };
    const result = await deploy(fx.options(createFap([spy]), fx.config({ hooks: { updated: "cat order > seen-by-hook" } })));
    const id = result.hosts[0]!.release!;
    expect(seen.sort()).toEqual(HOSTS.map((h) => `${h} deploy ${fx.root(h)} ${fx.root(h)}/releases/${id}`));
    for (const host of HOSTS) expect(readFileSync(join(fx.root(host), "releases", id, "seen-by-hook"), "utf8")).toBe("plugin\n");
  });

  it("refuses a misspelt hook name before touching any host", async () => {
    const error = await rejection(deploy(fx.options(createFap(), fx.config({ hooks: { updatd: "make" } }))));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("hooks: unknown hook 'updatd'");
    expect(fx.connector.connected).toEqual([]);
    for (const host of HOSTS) expect(existsSync(fx.root(host))).toBe(false);
  });

  it("refuses a value of the wrong type before touching any host", async () => {
    const error = await rejection(deploy(fx.options(createFap(), fx.config({}, { keep_releases: "five" }))));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(`role production.web: 'keep_releases' must be a number, got string "five"`);
    expect(fx.connector.connected).toEqual([]);
  });

  it("fails with the command, its exit code and stderr when a config hook fails", async () => {
    const error = await rejection(deploy(fx.options(createFap(), fx.config({ hooks: { updating: "echo nope >&2; exit 3" } }))));
    expect(error.code).toBe("E_COMMAND_FAILED");
    expect(error.message).toContain("a (updating): [fap:hooks] updating: `cd ");
    expect(error.message).toContain("&& echo nope >&2; exit 3` exited with 3: nope");
    for (const host of HOSTS) expect(fx.releases(host)).toEqual([]);
  });

  it("under dryRun creates nothing and reports each host's commands", async () => {
    const fap = createFap();
    const events = recordEvents(fap);
    const result = await deploy(fx.options(fap, fx.config({ linked_files: ["config/settings.py"], hooks: { updated: "make" } }), { dryRun: true }));

    expect(result.hosts.map((h) => h.host)).toEqual(["a", "b"]);
    expect(existsSync(join(fx.tmp, "a"))).toBe(false);
    expect(existsSync(join(fx.tmp, "b"))).toBe(false);
    expect(fx.connector.connected.map((a) => a.host)).toEqual(["a", "b"]);
    // Nothing was locked, so no result says a lock was left.
    const results = events.flatMap((e) => (e.type === "host-result" ? [[e.event.host, e.event.ok, e.event.lockLeft]] : []));
    expect(results).toEqual([
      ["a", true, undefined],
      ["b", true, undefined],
    ]);
    const commands = events.flatMap((e) => (e.type === "command" ? [e.event] : []));
    for (const host of HOSTS) {
      const mine = commands.filter((c) => c.host === host);
      const release = `${fx.root(host)}/releases/240102-030406`;
      const at = (phase: string) => mine.filter((c) => c.phase === phase).map((c) => c.command);
      expect(at("starting").join("\n")).toContain(`mkdir '${release}'`);
      expect(at("updated")).toEqual([expect.stringMatching(/^set -e\n/), `cd '${release}' && make`]);
      expect(at("updated")[0]).toContain(`ln -s '${fx.root(host)}/shared/config/settings.py' '${release}/config/settings.py'`);
      expect(at("publishing").join("\n")).toContain(`mv -T '${fx.root(host)}/.current-240102-030406.tmp' '${fx.root(host)}/current'`);
    }
  });

  it("emits phase start and end in order, one pair per phase, the local build stage (no hosts) first", async () => {
    const fap = createFap();
    const events = recordEvents(fap);
    await deploy(fx.options(fap, fx.config()));
    const phases = events.flatMap((e) => (e.type === "phase" ? [`${e.event.phase} ${e.event.state} ${e.event.flow} ${e.event.hosts}`] : []));
    const build = ["building start deploy 0", "building end deploy 0", "built start deploy 0", "built end deploy 0"];
    expect(phases).toEqual([...build, ...DEPLOY_PHASES.flatMap((p) => [`${p} start deploy 2`, `${p} end deploy 2`])]);
    // Commands run inside a phase say which; clean-up after the phases has none.
    const commandPhases = new Set(events.flatMap((e) => (e.type === "command" ? [e.event.phase] : [])));
    expect([...commandPhases].every((phase) => phase === undefined || DEPLOY_PHASES.includes(phase))).toBe(true);
    expect(commandPhases).toContain("publishing");
    // Nothing but core ran: the release directory made in `starting` goes out last thing in `updated`.
    const updated = events.flatMap((e) => (e.type === "command" && e.event.phase === "updated" ? [e.event.command] : []));
    expect(updated).toHaveLength(2);
    for (const command of updated) expect(command).toMatch(/^\(\{ test -d .*\n\) \|\| \{ s=\$\?;.*\n:$/s);
  });

  it("sends a command deferred after preparing at the end of its step, not with the unlock", async () => {
    const marker: FapPlugin = {
      name: "test:marker",
      apply({ hooks }) {
        hooks.published.tapPromise("test:marker", async (ctx) => {
          await ctx.run(sh`touch ${`${ctx.paths.root}/published-mark`}`, { defer: true });
        });
      },
    };
    const fap = createFap([marker]);
    const events = recordEvents(fap);
    await deploy(fx.options(fap, fx.config()));
    for (const host of HOSTS) expect(existsSync(join(fx.root(host), "published-mark"))).toBe(true);
    const published = events.flatMap((e) => (e.type === "command" && e.event.phase === "published" ? [e.event] : []));
    expect(published.map((e) => [e.host, e.plugin])).toEqual([["a", "fap:core"], ["b", "fap:core"]]);
  });

  it("never runs a shell value given on the command line", async () => {
    const config = fx.config({ linked_files: ["config/%(branch)s.yml"], hooks: { updated: "echo %(branch)s > branch.txt" } });
    const branch = "$(touch CANARY)`touch CANARY`';touch CANARY;'";
    const result = await deploy(fx.options(createFap(), config, { cliValues: { branch } }));
    const id = result.hosts[0]!.release!;
    for (const host of HOSTS) {
      const release = join(fx.root(host), "releases", id);
      expect(isSymlink(join(release, "config", `${branch}.yml`))).toBe(true);
      expect(existsSync(join(fx.root(host), "shared", "config", `${branch}.yml`))).toBe(true);
      expect(readFileSync(join(release, "branch.txt"), "utf8")).toBe(`${branch}\n`);
    }
    expect(fx.find("CANARY")).toEqual([]);
  });

  it("kills a command that runs longer than command_timeout and removes the release", async () => {
    const started = Date.now();
    const error = await rejection(deploy(fx.options(createFap(), fx.config({ command_timeout: 0.3, hooks: { updating: "sleep 5" } }))));
    // Before the sleep's 5 s: the whole deploy's other commands take seconds on a loaded machine.
    expect(Date.now() - started).toBeLessThan(4500);
    expect(error.code).toBe("E_COMMAND_TIMEOUT");
    for (const host of HOSTS) expect(fx.releases(host)).toEqual([]);
  });

  it.each([
    ["a plain secret", "s3cr3t-token"],
    ["a secret the shell must quote", "pa$$ word"],
    ["a secret with a single quote", "it's-s3cret"],
  ])("never shows %s in events or errors", async (_name, token) => {
    const vault: FapPlugin = { name: "test:vault", config: { token: { type: "string", secret: true, description: "api token" } }, apply() {} };
    const fap = createFap([vault]);
    const events = recordEvents(fap);
    const config = fx.config({ token, hooks: { updated: "echo %(token)s", finished: "echo %(token)s >&2; exit 1" } });
    const error = await rejection(deploy(fx.options(fap, config)));
    const text = JSON.stringify(events) + error.message + JSON.stringify(error.details);
    expect(text).toContain("***");
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.replace(/'/g, "'\\''"));
  });

  it("refuses a linked path that would escape the release", async () => {
    const error = await rejection(deploy(fx.options(createFap(), fx.config({ linked_files: ["../../etc/passwd"] }))));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toContain("linked path '../../etc/passwd' must be relative to the release");
    for (const host of HOSTS) expect(fx.releases(host)).toEqual([]);
  });

  it("refuses a relative deploy path", async () => {
    const error = await rejection(deploy(fx.options(createFap(), fx.config({}, { path: "www/app" }))));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("production.web: path must be absolute, got 'www/app'");
  });

  it("refuses two stages deploying to one path on one host", async () => {
    const config = {
      stage_role_configs: { production: { web: { hosts: ["a"], path: `${fx.tmp}/same` } }, staging: { web: { hosts: ["a"], path: `${fx.tmp}/same` } } },
    };
    const error = await rejection(deploy(fx.options(createFap(), config, { selection: { role: "web" } })));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(`production.web and staging.web both deploy to ${fx.tmp}/same on a`);
    expect(existsSync(join(fx.tmp, "same"))).toBe(false);
  });

  it("refuses two roles sharing one path on one host that differ in a key of the release", async () => {
    const config = {
      stage_role_configs: { production: { web: { hosts: ["a"], path: `${fx.tmp}/same` }, worker: { hosts: ["a"], path: `${fx.tmp}/same`, release_id_format: "%Y" } } },
    };
    const error = await rejection(deploy(fx.options(createFap(), config)));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(`production.web and production.worker deploy to ${fx.tmp}/same on a but differ in release_id_format (%y%m%d-%H%M%S and %Y)`);
    expect(existsSync(join(fx.tmp, "same"))).toBe(false);
  });
});
