import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FapConfig } from "../src/config/types.js";
import type { HostContext } from "../src/context.js";
import { createFap } from "../src/fap.js";
import { deploy } from "../src/flows/deploy.js";
import { rollback } from "../src/flows/rollback.js";
import { recordEvents, rejection, useFixture } from "./_fixture.js";

// Checks the mutation run (npm run test:mutation) found untested in core-plugin.ts: the
// release's `environment` written with or without linked paths, once per release when two roles
// share it; the hint of a rollback with nothing deployed; core's switch on a context core did
// not make (a plugin's test stub).

const fx = useFixture();

/** Two roles of one stage on host a, sharing its path and so one release. */
function sharedRelease(values: Record<string, unknown>, web: Record<string, unknown> = {}): FapConfig {
  const path = `${fx.tmp}/a/app`;
  return { ...values, stage_role_configs: { production: { web: { hosts: ["a"], path, ...web }, worker: { hosts: ["a"], path } } } };
}

const envCommands = (events: ReturnType<typeof recordEvents>) =>
  events.flatMap((e) => (e.type === "command" && e.event.command.includes(".env") ? [`${e.event.role} ${e.event.phase}`] : []));

describe("core's updated tap", () => {
  it("writes the environment to the release's .env, with the linked paths or without", async () => {
    const withLinks = await deploy(fx.options(createFap(), fx.config({ environment: { A: "1", B: "two words" }, linked_dirs: ["log"] }, { hosts: ["a"] })));
    const release = join(fx.root("a"), "releases", withLinks.hosts[0]!.release!);
    expect(readFileSync(join(release, ".env"), "utf8")).toMatch(/^A=.*1.*\nB=.*two words.*\n$/);
    expect(readlinkSync(join(release, "log"))).toBe(join(fx.root("a"), "shared", "log"));
    const alone = await deploy(fx.options(createFap(), fx.config({ environment: { C: "3" } }, { hosts: ["a"] })));
    expect(readFileSync(join(fx.root("a"), "releases", alone.hosts[0]!.release!, ".env"), "utf8")).toMatch(/^C=.*3.*\n$/);
  });

  it("writes no .env without an environment", async () => {
    const result = await deploy(fx.options(createFap(), sharedRelease({})));
    expect(existsSync(join(fx.root("a"), "releases", result.hosts[0]!.release!, ".env"))).toBe(false);
  });

  it("writes the environment once for two roles sharing a release: by the first role", async () => {
    const fap = createFap();
    const events = recordEvents(fap);
    const result = await deploy(fx.options(fap, sharedRelease({ environment: { A: "1" } })));
    expect(readFileSync(join(fx.root("a"), "releases", result.hosts[0]!.release!, ".env"), "utf8")).toMatch(/^A=.*1.*\n$/);
    expect(envCommands(events)).toEqual(["web updated"]);
  });
});

describe("core's reverting tap", () => {
  it("says how to fix a rollback with nothing deployed, naming the host", async () => {
    const error = await rejection(rollback(fx.options(createFap(), fx.config({}, { hosts: ["a"] }))));
    expect(error.hint).toBe("deploy first: fap run deploy; nothing was changed");
    expect((error.cause as { host?: string }).host).toBe("a");
  });

  it("logs the rollback it makes", async () => {
    const first = (await deploy(fx.options(createFap(), fx.config({}, { hosts: ["a"] })))).hosts[0]!.release!;
    const second = (await deploy(fx.options(createFap(), fx.config({}, { hosts: ["a"] })))).hosts[0]!.release!;
    const fap = createFap();
    const events = recordEvents(fap);
    await rollback(fx.options(fap, fx.config({}, { hosts: ["a"] })));
    expect(events.flatMap((e) => (e.type === "log" ? [`${e.event.host} ${e.event.message}`] : []))).toContain(`a rolling back ${second} → ${first}`);
  });
});

describe("core's publishing tap", () => {
  it("switches and logs on a context core did not make (a plugin's test stub), in one command", async () => {
    const commands: string[] = [];
    const paths = { root: "/srv/app", releases: "/srv/app/releases", current: "/srv/app/current", shared: "/srv/app/shared", meta: "/srv/app/.fap", release: "/srv/app/releases/1" };
    const stub = {
      flow: "deploy",
      host: "web1",
      deployId: "d",
      deployer: "me",
      recorded: {},
      config: {},
      paths,
      release: { id: "1", previousId: undefined },
      run: async (command: string) => {
        commands.push(command);
        return { stdout: "", stderr: "", exitCode: 0 };
      },
    } as unknown as HostContext;
    await createFap().hooks.publishing.promise(stub);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/^test -d .*releases\/1.* && ln -sfn .* && mv -T .* && .*releases\.log/);
  });
});
