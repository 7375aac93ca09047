import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTestHostSupport, deployWith, readDeployState, runTaskWith, startTestHosts, type TestHosts } from "@fap/testing";
import migrate from "../src/index.js";

const unsupported = await checkTestHostSupport().then(() => "", (error: Error) => error.message);

const DATABASE_URL = "postgres://app:s3cret-pw@db/app";

describe.skipIf(unsupported)("fap-plugin-migrate on real hosts", () => {
  let testHosts: TestHosts;
  // /tmp is the same directory on every test host (/srv is each host's own): the hosts' shared notebook.
  let shared: string;
  beforeAll(async () => {
    testHosts = await startTestHosts({ count: 3 });
    shared = mkdtempSync(join(tmpdir(), "fap-migrate-"));
  });
  afterAll(async () => {
    await testHosts?.stop();
    if (shared) rmSync(shared, { recursive: true, force: true });
  });

  const [h1, h2, h3] = ["host1", "host2", "host3"];
  /** Two stages on the same three hosts; green names host3 its primary. */
  const config = () => ({
    path: "/srv/www/%(stage)s",
    database_url: DATABASE_URL,
    // Who migrated, in which directory, and what `current` pointed at then.
    migrate_command: `echo "%(stage)s %(host)s $(basename "$(pwd -P)") $(basename "$(readlink %(current_path)s || echo none)")" >> ${shared}/migrations; echo "migrated with $DATABASE_URL"`,
    migrate_status_command: `echo "status %(stage)s %(host)s" >> ${shared}/status; echo "$DATABASE_URL is up to date"`,
    stage_role_configs: {
      blue: { app: { hosts: [h1, h2, h3] } },
      green: { app: { hosts: [h1, h2, { host: h3, primary: true }] } },
    },
  });
  const lines = (file: string) => readFileSync(join(shared, file), "utf8").trim().split("\n");
  const current = (index: number, stage: string) => readDeployState(testHosts.hosts[index]!, posix.join("/srv/www", stage)).then((s) => s.current);

  it("migrates once per stage, on its primary host, in the new release, before any host switches", async () => {
    const first = await deployWith(testHosts, { plugins: [migrate()], config: config(), role: "app" });
    const releases = { blue: await current(0, "blue"), green: await current(2, "green") };
    expect(lines("migrations").sort()).toEqual([`blue ${h1} ${releases.blue} none`, `green ${h3} ${releases.green} none`]);

    await deployWith(testHosts, { plugins: [migrate()], config: config(), role: "app" });
    const last = (stage: string) => lines("migrations").filter((line) => line.startsWith(`${stage} `)).at(-1);
    // In the new release, while current still pointed at the one before.
    expect(last("blue")).toBe(`blue ${h1} ${await current(0, "blue")} ${releases.blue}`);
    expect(last("green")).toBe(`green ${h3} ${await current(2, "green")} ${releases.green}`);
    expect(lines("migrations")).toHaveLength(4);
    // The secret reached the command on stdin and is redacted from what fap shows.
    expect(first.output).toContain(`${h1} | migrated with ***`);
    expect(first.output.join("\n")).not.toContain("s3cret-pw");
  });

  it("stops the deploy before any host switches when the migration fails", async () => {
    const before = await Promise.all([0, 1, 2].map((i) => current(i, "blue")));
    await expect(
      deployWith(testHosts, { plugins: [migrate({ command: "echo cannot migrate >&2; exit 3" })], config: { ...config(), migrate_command: undefined }, stage: "blue" }),
    ).rejects.toThrow(/cannot migrate/);
    expect(await Promise.all([0, 1, 2].map((i) => current(i, "blue")))).toEqual(before);
  });

  it("runs migrate:status on the primary host only, connecting to no other host", async () => {
    // A task that connected to host2 or host3 would fail: their sshd is stopped.
    await Promise.all([testHosts.hosts[1]!.stop(), testHosts.hosts[2]!.stop()]);
    try {
      const run = await runTaskWith(testHosts, "migrate:status", { plugins: [migrate()], config: config(), stage: "blue" });
      expect(lines("status")).toEqual([`status blue ${h1}`]);
      expect(run.output).toContain(`${h1} | *** is up to date`);
      expect(run.output.some((line) => line.startsWith(h2) || line.startsWith(h3))).toBe(false);
    } finally {
      await Promise.all([testHosts.hosts[1]!.start(), testHosts.hosts[2]!.start()]);
    }
  });
});
