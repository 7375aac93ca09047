import { describe, expect, it } from "vitest";
import type { HostPaths } from "../../src/context.js";
import type { Target } from "../../src/config/select.js";
import { HostGroups } from "../../src/run/host-groups.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: which targets share a host of
// the run, and the exact words when two cannot.

const target = (stage: string, role: string, host = "web1"): Target => ({ stage, role, host, primary: true, labels: {}, layers: [] });
const address = (user = "deploy", hostname = "10.0.0.1", port = 22) => ({ user, hostname, port });
const paths = (root = "/srv/app") => ({ root }) as HostPaths;

describe("HostGroups, checked (deploy, rollback)", () => {
  it("gives two roles of a stage on one host and path one key, in either connection order", () => {
    const groups = new HostGroups(true);
    const web = groups.join(target("production", "web"), 0, address(), paths(), { branch: "main" });
    const worker = groups.join(target("production", "worker"), 1, address(), paths(), { branch: "main" });
    expect(web).toBe(worker);
    expect(web).toBe("production\0deploy@10.0.0.1:22/srv/app");
  });

  it("keeps apart other users, ports, hosts and paths", () => {
    const groups = new HostGroups(true);
    const keys = [
      groups.join(target("p", "a"), 0, address(), paths(), {}),
      groups.join(target("p", "b"), 1, address("root"), paths(), {}),
      groups.join(target("p", "c"), 2, address("deploy", "10.0.0.1", 2222), paths(), {}),
      groups.join(target("p", "d"), 3, address("deploy", "10.0.0.2"), paths(), {}),
      groups.join(target("p", "e"), 4, address(), paths("/srv/other"), {}),
    ];
    expect(new Set(keys).size).toBe(5);
  });

  it("refuses two stages on one path, named in config order whichever connected first", () => {
    const groups = new HostGroups(true);
    groups.join(target("staging", "web"), 1, address(), paths(), {});
    const error = thrown(() => groups.join(target("production", "web"), 0, address(), paths(), {}));
    expect([error.code, error.message, error.hint]).toEqual(["E_CONFIG", "production.web and staging.web both deploy to /srv/app on web1", "give each stage its own path"]);
  });

  it("refuses roles differing in a key of the release, showing the values unless they may hold a secret", () => {
    const differ = (key: string, a: unknown, b: unknown) => {
      const groups = new HostGroups(true);
      groups.join(target("production", "web"), 0, address(), paths(), { [key]: a });
      return thrown(() => groups.join(target("production", "worker"), 1, address(), paths(), { [key]: b }));
    };
    const error = differ("branch", "main", "dev");
    expect([error.code, error.message, error.hint]).toEqual([
      "E_CONFIG",
      "production.web and production.worker deploy to /srv/app on web1 but differ in branch (main and dev)",
      "roles on one host and path share one release: give branch one value for both (e.g. on the stage), or give each role its own path",
    ]);
    expect(differ("keep_releases", 5, undefined).message).toMatch(/differ in keep_releases \(5 and unset\)$/);
    for (const secret of ["environment", "repo", "curl_url"]) expect(differ(secret, "a", "b").message).toMatch(new RegExp(`differ in ${secret}$`));
    expect(differ("virtualenv_venv_path", "a", "b").message).toMatch(/\(a and b\)$/);
  });

  it("compares values of the release by what they hold: equal maps and lists are the same", () => {
    const groups = new HostGroups(true);
    const values = () => ({ environment: { RAILS_ENV: "production" }, keep_releases: 5 });
    const web = groups.join(target("production", "web"), 0, address(), paths(), values());
    expect(groups.join(target("production", "worker"), 1, address(), paths(), values())).toBe(web);
  });

  it("lets roles differ in keys that do not shape the release", () => {
    const groups = new HostGroups(true);
    const a = groups.join(target("production", "web"), 0, address(), paths(), { app_port: 1 });
    expect(groups.join(target("production", "worker"), 1, address(), paths(), { app_port: 2 })).toBe(a);
  });
});

describe("HostGroups, unchecked (restart, tasks)", () => {
  it("gives each stage its own key and refuses nothing", () => {
    const groups = new HostGroups(false);
    const staging = groups.join(target("staging", "web"), 0, address(), paths(), { branch: "a" });
    const production = groups.join(target("production", "web"), 1, address(), paths(), { branch: "b" });
    const again = groups.join(target("production", "worker"), 2, address(), paths(), { branch: "c" });
    const stagingWorker = groups.join(target("staging", "worker"), 3, address(), paths(), { branch: "d" });
    expect(staging).toBe("staging\0deploy@10.0.0.1:22/srv/app");
    expect(production).toBe("production\0deploy@10.0.0.1:22/srv/app");
    expect(again).toBe(production);
    expect(stagingWorker).toBe(staging);
  });
});
