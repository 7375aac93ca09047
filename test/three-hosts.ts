import { afterAll, beforeAll } from "vitest";
import { hostTree, projectDir, startTestHosts, type TestHosts } from "./harness.js";

/**
 * Three test hosts for one test file: started before its tests, stopped after them, together
 * with every project directory `project` made.
 */
export function useThreeHosts() {
  let hosts: TestHosts | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    hosts = await startTestHosts({ count: 3 });
  });
  afterAll(async () => {
    await Promise.all(cleanups.map((c) => c()));
    await hosts?.stop();
  });
  const started = (): TestHosts => {
    if (!hosts) throw new Error("the test hosts are not started yet");
    return hosts;
  };
  return {
    get hosts() {
      return started();
    },
    /**
     * A project whose deploy.yml deploys app `app` to /srv/www/<app> on host1..host3, each
     * release writing its id to VERSION; `hooks` adds lines under hooks:, `extra` top-level keys.
     */
    async project(app: string, hooks = "", extra = ""): Promise<string> {
      const p = await projectDir({
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
      cleanups.push(p.cleanup);
      return p.dir;
    },
    /** What each host holds of app `app`. */
    trees(app: string) {
      return Promise.all([0, 1, 2].map((i) => hostTree(started(), i, `/srv/www/${app}`)));
    },
  };
}
