import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deployYml, hostTree, runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

const testHosts = useTestHosts(2, { installed: true });
const { project } = testHosts;

describe("config discovery and precedence", () => {
  it("loads a typed deploy.config.ts with defineConfig", async () => {
    const dir = await project({
      "deploy.config.ts": `import { defineConfig } from "@fap/cli";

const keep: number = 2;
export default defineConfig({
  app_name: "typed",
  path: "/srv/www/%(app_name)s",
  keep_releases: keep,
  hooks: { updating: "echo %(stage)s-%(role)s > WHERE" },
  stage_role_configs: {
    staging: { web: { hosts: ["host1"] } },
    production: { web: { hosts: ["host1", "host2"] }, worker: { hosts: ["host2"], path: "/srv/www/typed-worker" } },
  },
});
`,
    });
    for (let n = 0; n < 3; n++) {
      const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
      expect(run.code, run.stderr).toBe(0);
    }
    const web = await hostTree(testHosts.hosts, 1, "/srv/www/typed");
    expect(web.releases).toHaveLength(2);
    expect(readFileSync(web.local("current/WHERE"), "utf8").trim()).toBe("production-web");
    const worker = await hostTree(testHosts.hosts, 1, "/srv/www/typed-worker");
    expect(readFileSync(worker.local("current/WHERE"), "utf8").trim()).toBe("production-worker");
  });

  it("selects a role in every stage that has it, and honours stage < role < command line", async () => {
    const dir = await project({
      "deploy.yml": `app_name: layered
path: /srv/www/%(app_name)s-%(stage)s
keep_releases: 9
hooks:
  updating: echo %(keep_releases)s > KEEP
stage_role_configs:
  staging:
    keep_releases: 3
    web:
      hosts: host1
  production:
    web:
      hosts: [host2]
      keep_releases: 4
    cron:
      hosts: [host2]
      path: /srv/www/layered-cron
`,
    });
    const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-r", "web"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync((await hostTree(testHosts.hosts, 0, "/srv/www/layered-staging")).local("current/KEEP"), "utf8").trim()).toBe("3");
    expect(readFileSync((await hostTree(testHosts.hosts, 1, "/srv/www/layered-production")).local("current/KEEP"), "utf8").trim()).toBe("4");
    expect(existsSync(testHosts.hosts.hosts[1]!.local("/srv/www/layered-cron"))).toBe(false);

    const cli = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "-r", "web", "--keep-releases=7"]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(readFileSync((await hostTree(testHosts.hosts, 1, "/srv/www/layered-production")).local("current/KEEP"), "utf8").trim()).toBe("7");
    const set = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "-r", "web", "--set", "keep_releases=6"]);
    expect(set.code, set.stderr).toBe(0);
    expect(readFileSync((await hostTree(testHosts.hosts, 1, "/srv/www/layered-production")).local("current/KEEP"), "utf8").trim()).toBe("6");
  });

  it("finds Fapistrano's deployfile through -d and through FAP_APP + <APP>_DEPLOYFILE", async () => {
    const dir = await project({ "myapp.yml": deployYml("seedish", "host1") });
    const byFlag = await runFap(testHosts.hosts, dir, ["release", "-s", "production", "-d", "myapp.yml"]);
    expect(byFlag.code, byFlag.stderr).toBe(0);
    const byEnv = await runFap(testHosts.hosts, dir, ["release", "-s", "production"], { FAP_APP: "myapp", MYAPP_DEPLOYFILE: path.join(dir, "myapp.yml") });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect((await hostTree(testHosts.hosts, 0, "/srv/www/seedish")).releases).toHaveLength(2);
  });

  it("--dry-run prints each host's commands and touches nothing", async () => {
    const dir = await project({ "deploy.yml": deployYml("dry", "host1, host2", '      linked_files: [".env"]\n') });
    const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/host1 \| \$ \{ test -d \/srv\/www\/dry\/releases .* \|\| mkdir -p \/srv\/www\/dry\/releases .* && mkdir \/srv\/www\/dry\/releases\//);
    expect(run.stdout).toMatch(/host2 \| \$ test -d \/srv\/www\/dry\/releases\/\S+ && .*mv -T/);
    expect(existsSync(testHosts.hosts.hosts[0]!.local("/srv/www/dry"))).toBe(false);
    expect(existsSync(testHosts.hosts.hosts[1]!.local("/srv/www/dry"))).toBe(false);
  });

  it("quotes every value it puts into a command", async () => {
    const canary = path.join(testHosts.hosts.dir, "canary");
    const dir = await project({
      "deploy.yml": `app_name: "quoted"
path: /srv/www/quoted
stage_role_configs:
  production:
    web:
      hosts: [host1]
      linked_files:
        - "conf/$(touch ${canary}).env"
        - "conf/\`touch ${canary}\`; touch ${canary}"
        - "conf/with space's.env"
      hooks:
        updating: echo %(app_name)s > NAME
`,
    });
    const run = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production", "--set", `app_name=x'; touch ${canary}; '`]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(canary)).toBe(false);
    const tree = await hostTree(testHosts.hosts, 0, "/srv/www/quoted");
    expect(existsSync(tree.local(`shared/conf/$(touch ${canary}).env`))).toBe(true);
    expect(existsSync(tree.local("shared/conf/with space's.env"))).toBe(true);
    expect(readFileSync(tree.local("current/NAME"), "utf8").trim()).toBe(`x'; touch ${canary}; '`);
  });
});
