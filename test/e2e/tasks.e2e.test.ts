import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hostTree, runFap } from "../harness.js";
import { useTestHosts } from "../three-hosts.js";

const testHosts = useTestHosts(2, { installed: true });
const { project } = testHosts;

/** A plugin with a task, as a plugin package would add one (supervisorctl adds supervisor:status). */
const STATUS_PLUGIN = `import { task } from "@fap/core";
export default () => ({
  name: "test:status",
  tasks: {
    "app:status": task({ description: "print the live release", run: async (ctx) => { await ctx.run("basename $(readlink -f " + ctx.paths.current + ")"); } }),
  },
  apply() {},
});
`;

const CONFIG = `import { defineConfig, series, task } from "@fap/cli";

export default defineConfig({
  app_name: "tasks",
  path: "/srv/www/%(app_name)s-%(role)s",
  plugins: ["./status-plugin.mjs"],
  hooks: { published: ["db:migrate"] },
  tasks: {
    "db:migrate": task({
      description: "run the migrations",
      roles: ["web"],
      run: async (ctx) => {
        const where = ctx.paths.release ?? ctx.paths.current;
        await ctx.run("echo \\"$(date +%s%N) " + ctx.flow + "\\" >> ../../MIGRATIONS", { cwd: where });
      },
    }),
    "cache:clear": task({ description: "empty the cache", run: (ctx) => ctx.run("rm -rf cache && echo cleared", { cwd: ctx.paths.current }) }),
    "post-deploy": series("db:migrate", "cache:clear", "app:status"),
  },
  stage_role_configs: {
    production: { web: { hosts: ["host1"] }, worker: { hosts: ["host2"] } },
  },
});
`;

describe("tasks", () => {
  it("runs a user task at a hook, by name with fap run (only on its roles), composed in series, and lists every task", async () => {
    const dir = await project({ "deploy.config.ts": CONFIG, "status-plugin.mjs": STATUS_PLUGIN });
    const migrations = testHosts.hosts.hosts[0]!.local("/srv/www/tasks-web/MIGRATIONS");

    const deploy = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    // published ran the task on the web host, in the new release, during the deploy.
    expect(readFileSync(migrations, "utf8")).toMatch(/^\d+ deploy\n$/);
    expect(existsSync(testHosts.hosts.hosts[1]!.local("/srv/www/tasks-worker/MIGRATIONS"))).toBe(false);
    expect(deploy.stdout).toMatch(/host1 \| task db:migrate/);

    const migrate = await runFap(testHosts.hosts, dir, ["run", "db:migrate", "-s", "production"]);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(readFileSync(migrations, "utf8").split("\n").filter(Boolean).map((l) => l.split(" ")[1])).toEqual(["deploy", "task"]);
    expect(migrate.stdout).toMatch(/▸ db:migrate \(1 host\)/);
    expect(migrate.stdout).not.toMatch(/host2/);

    const worker = await runFap(testHosts.hosts, dir, ["run", "db:migrate", "-s", "production", "-r", "worker"]);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/^error: task 'db:migrate' runs on role web; the selection has worker$/m);

    const all = await runFap(testHosts.hosts, dir, ["run", "post-deploy", "-s", "production"]);
    expect(all.code, all.stderr).toBe(0);
    const banners = [...all.stdout.matchAll(/^▸ (\S+) \((\d) hosts?\)$/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(banners).toEqual(["db:migrate:1", "cache:clear:2", "app:status:2"]);
    const release = (await hostTree(testHosts.hosts, 1, "/srv/www/tasks-worker")).releases.at(-1)!;
    expect(all.stdout).toMatch(new RegExp(`^host2 \\| ${release}$`, "m"));
    expect(all.stdout).toMatch(/^host +result +db:migrate +cache:clear +app:status +total$/m);

    const list = await runFap(testHosts.hosts, dir, ["tasks"]);
    expect(list.code, list.stderr).toBe(0);
    const rows = list.stdout.trimEnd().split("\n").map((l) => l.split(/\s{2,}/));
    expect(rows).toEqual([
      ["deploy", expect.stringMatching(/^deploy a new release/), "built-in"],
      ["rollback", expect.any(String), "built-in"],
      ["restart", expect.any(String), "built-in"],
      ["app:status", "print the live release", "test:status"],
      ["db:migrate", "run the migrations (roles: web)", "deploy.config.ts"],
      ["cache:clear", "empty the cache", "deploy.config.ts"],
      ["post-deploy", "db:migrate then cache:clear then app:status", "deploy.config.ts"],
    ]);
  });

  it("runs YAML tasks (shell commands in current) and refuses a hook naming an unknown task", async () => {
    const yml = `app_name: yamltasks
path: /srv/www/yamltasks
tasks:
  app:touch:
    description: touch a file in the live release
    run:
      - touch TOUCHED
      - ls
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`;
    const dir = await project({ "deploy.yml": yml });
    expect((await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const run = await runFap(testHosts.hosts, dir, ["run", "app:touch", "-s", "production"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^host1 \| TOUCHED$/m);
    for (const i of [0, 1]) expect(existsSync((await hostTree(testHosts.hosts, i, "/srv/www/yamltasks")).local("current/TOUCHED"))).toBe(true);

    writeFileSync(path.join(dir, "deploy.yml"), yml.replace("stage_role_configs:", "hooks:\n  published: app:tuoch\nstage_role_configs:"));
    const typo = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^error: hooks\.published: unknown task 'app:tuoch'$/m);
    expect(typo.stderr).toMatch(/^hint: tasks: app:touch;/m);
  });

  it("runs a once: true task on the role's primary host only: at a hook, with fap run (no other host connected to), and says so in fap tasks", async () => {
    const yml = `app_name: oncetasks
path: /srv/www/oncetasks
tasks:
  db:migrate:
    description: run the migrations
    once: true
    run: touch MIGRATED
hooks:
  updated: [db:migrate]
stage_role_configs:
  production:
    web:
      hosts: [host1, { host: host2, primary: true, labels: { zone: b } }]
`;
    const dir = await project({ "deploy.yml": yml });
    const deploy = await runFap(testHosts.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(deploy.code, deploy.stderr).toBe(0);
    const migrated = async (i: number) => existsSync((await hostTree(testHosts.hosts, i, "/srv/www/oncetasks")).local("current/MIGRATED"));
    // At updated, in the new release, on the primary only.
    expect([await migrated(0), await migrated(1)]).toEqual([false, true]);

    const list = await runFap(testHosts.hosts, dir, ["tasks"]);
    expect(list.stdout).toMatch(/^db:migrate +run the migrations \(primary host only\) +deploy\.yml$/m);

    // host1 is down: a task that connected to it would fail.
    await testHosts.hosts.hosts[0]!.stop();
    try {
      const run = await runFap(testHosts.hosts, dir, ["run", "db:migrate", "-s", "production"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/▸ db:migrate \(1 host\)/);
      expect(run.stdout).not.toMatch(/host1/);
    } finally {
      await testHosts.hosts.hosts[0]!.start();
    }
  });
});
