import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runFap } from "../harness.js";
import { useThreeHosts } from "../three-hosts.js";

// What a deploy.yml written for Fapistrano may say that fap's own names would not: its signal
// names in `hooks`, and its rollback keys in %(...)s.
const env = useThreeHosts();
const { project, trees } = env;

describe("a deploy.yml written for Fapistrano", () => {
  it("runs hooks written under Fapistrano's signal names at fap's matching hooks", async () => {
    const dir = await project(
      "signals",
      [
        "  deploy.updated: echo updated > SIGNAL_UPDATED",
        "  deploy.published: echo published-%(release)s > %(releases_path)s/../PUBLISHED",
        "  deploy.restarting: echo restarted > RESTARTED",
      ].join("\n"),
    );
    const deployed = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"]);
    expect(deployed.stderr).toBe("");
    expect(deployed.code).toBe(0);
    const restarted = await runFap(env.hosts, dir, ["restart", "-s", "production"]);
    expect(restarted.code, restarted.stderr).toBe(0);
    for (const tree of await trees("signals")) {
      const release = tree.releases.at(-1)!;
      expect(readFileSync(tree.local("current/SIGNAL_UPDATED"), "utf8")).toBe("updated\n");
      expect(readFileSync(tree.local("PUBLISHED"), "utf8")).toBe(`published-${release}\n`);
      expect(readFileSync(tree.local("current/RESTARTED"), "utf8")).toBe("restarted\n");
    }
  });

  it("gives %(rollback_from)s and %(rollback_to)s during a rollback, as Fapistrano did", async () => {
    const dir = await project(
      "fromto",
      "  deploy.finishing_rollback: echo %(rollback_from)s %(rollback_to)s > %(releases_path)s/../ROLLED\n" +
        "  finished: echo from=%(rollback_from)s to=%(rollback_to)s >> %(releases_path)s/../FINISHED",
    );
    for (let n = 0; n < 2; n++) expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    const [older, newer] = (await trees("fromto"))[0]!.releases;

    const result = await runFap(env.hosts, dir, ["rollback", "-s", "production"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    for (const tree of await trees("fromto")) {
      expect(tree.current).toBe(`releases/${older}`);
      expect(readFileSync(tree.local("ROLLED"), "utf8")).toBe(`${newer} ${older}\n`);
      // In a deploy both are empty, so a hook shared by deploy and rollback still resolves.
      expect(readFileSync(tree.local("FINISHED"), "utf8")).toBe(`from= to=\nfrom= to=\nfrom=${newer} to=${older}\n`);
    }
  });
});
