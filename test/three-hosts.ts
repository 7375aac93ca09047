import { afterAll, beforeAll, expect } from "vitest";
import { hostTree, projectDir, runFap, startTestHosts, type TestHosts } from "./harness.js";

/**
 * `count` test hosts for one test file, started before its tests and stopped after them,
 * together with every project directory `project` made (`installed`: with fap's packages in
 * its node_modules, for deploy.config.ts and local plugins; `plugins`: with only these
 * first-party plugins, see projectDir).
 */
export function useTestHosts(count: number, { installed = false, plugins }: { installed?: boolean; plugins?: readonly string[] } = {}) {
  let hosts: TestHosts | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    hosts = await startTestHosts({ count });
  });
  afterAll(async () => {
    await Promise.all(cleanups.map((c) => c()));
    await hosts?.stop();
  });
  return {
    get hosts(): TestHosts {
      if (!hosts) throw new Error("the test hosts are not started yet");
      return hosts;
    },
    async project(files: Record<string, string>): Promise<string> {
      const p = await projectDir(files, { installed, plugins });
      cleanups.push(p.cleanup);
      return p.dir;
    },
  };
}

/**
 * Three test hosts for one test file: started before its tests, stopped after them, together
 * with every project directory `project` made.
 */
export function useThreeHosts() {
  const env = useTestHosts(3);
  /**
   * A project whose deploy.yml deploys app `app` to /srv/www/<app> on host1..host3, each
   * release writing its id to VERSION; `hooks` adds lines under hooks:, `extra` top-level keys.
   */
  const project = (app: string, hooks = "", extra = ""): Promise<string> =>
    env.project({
      "deploy.yml": `app_name: ${app}
path: /srv/www/%(app_name)s
${extra}
hooks:
  updating: echo "%(release)s" > VERSION
${hooks}
stage_role_configs:
  production:
    web:
      hosts: [host1, host2, host3]
`,
    });
  /** What each host holds of app `app`. */
  const trees = (app: string) => Promise.all([0, 1, 2].map((i) => hostTree(env.hosts, i, `/srv/www/${app}`)));
  /** Deploys app `app` once with no more hooks, and returns what each host then holds: the "before" of a failing deploy. */
  const deployedOnce = async (app: string) => {
    const dir = await project(app);
    expect((await runFap(env.hosts, dir, ["run", "deploy", "-s", "production"])).code).toBe(0);
    return trees(app);
  };
  return {
    get hosts() {
      return env.hosts;
    },
    project,
    trees,
    deployedOnce,
    /**
     * Deploys app `app` once, then again (with `args`) from a project whose `phase` hook fails
     * on `host`; checks that run fails naming that host and phase. Returns what each host held
     * before it, the failing project and its run.
     */
    async redeployFailing(app: string, phase: string, host: string, ...args: string[]) {
      const before = await deployedOnce(app);
      const dir = await project(app, `  ${phase}: test %(host)s != ${host}`);
      const run = await runFap(env.hosts, dir, ["run", "deploy", "-s", "production", ...args]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${host} (${phase})`);
      return { before, dir, run };
    },
  };
}

/** Every host holds what it held `before` (both from `trees`): the same `current`, the same releases. */
export function expectSameTrees(after: ReadonlyArray<Awaited<ReturnType<typeof hostTree>>>, before: ReadonlyArray<Awaited<ReturnType<typeof hostTree>>>): void {
  after.forEach((tree, i) => {
    expect(tree.current).toBe(before[i]!.current);
    expect(tree.releases).toEqual(before[i]!.releases);
  });
}
