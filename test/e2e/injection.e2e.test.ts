import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hostTree, projectDir, runFap, startTestHosts, type TestHosts } from "../harness.js";

// Every value fap puts into a command comes from the user (config, command line, plugin keys)
// and must reach the host as the string it is. The payloads below each `touch` a canary in a
// directory every host sees (only /srv is private to a host): no canary may ever appear.

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

let hosts: TestHosts;
let work: string;
let canaries: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-injection-")));
  canaries = path.join(work, "canaries");
  mkdirSync(canaries);
  hosts = await startTestHosts({ count: 1 });
});
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await hosts?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});
afterEach(() => {
  expect(readdirSync(canaries), "canaries: commands that ran although nobody wrote them").toEqual([]);
});

/** Shell code a value might smuggle in; `name` is the canary it would create. */
function payloads(tag: string): Record<string, string> {
  const c = (name: string) => path.join(canaries, `${tag}-${name}`);
  return {
    dollar: `$(touch ${c("dollar")})`,
    backtick: `\`touch ${c("backtick")}\``,
    semicolon: `x; touch ${c("semicolon")}`,
    and: `x && touch ${c("and")}`,
    pipe: `x | touch ${c("pipe")}`,
    single: `x'; touch ${c("single")}; '`,
    double: `x"; touch ${c("double")}; "`,
    newline: `x\ntouch ${c("newline")}\n`,
    variable: `$HOME \${IFS} $(touch\${IFS}${c("ifs")})`,
    glob: "* ? [a-z]* ~",
  };
}

async function project(files: Record<string, string>): Promise<string> {
  const p = await projectDir(files, { installed: true });
  cleanups.push(p.cleanup);
  return p.dir;
}

const yamlString = (value: string) => JSON.stringify(value);

function deploy(dir: string, ...args: string[]) {
  return runFap(hosts, dir, ["run", "deploy", "-s", "production", ...args]);
}

/** `current` is the newest release of the app at `deployPath`. */
async function published(deployPath: string) {
  const tree = await hostTree(hosts, 0, deployPath);
  expect(tree.releases).toHaveLength(1);
  expect(tree.current).toBe(`releases/${tree.releases[0]}`);
  expect(tree.log.at(-1)).toMatchObject({ status: "ok" });
  return tree;
}

describe("no value becomes a command", () => {
  it("config values: app_name and path with spaces and shell code, linked names, hook values through %(key)s", async () => {
    const notes = payloads("note");
    // Everything but '/' in the app's name, newline included: it names the deploy directory.
    const app = `my app's "x" $(touch ${canaries}/app-dollar) \`touch ${canaries}/app-tick\`; touch ${canaries}/app-semi && * \n end`;
    const linkedFiles = [
      `conf/$(touch ${canaries}/lf-dollar).env`,
      `conf/\`touch ${canaries}/lf-tick\``,
      `conf/a; touch ${canaries}/lf-semi`,
      `conf/b && touch ${canaries}/lf-and`,
      `conf/with space's "quoted".env`,
      "conf/*",
      "conf/new\nline",
    ];
    const linkedDirs = [`log dir $(touch ${canaries}/ld-dollar)`, "cache'; touch x; '"];
    const keys = Object.keys(notes);
    const dir = await project({
      "deploy.yml": [
        `app_name: ${yamlString(app)}`,
        `path: "/srv/www/%(app_name)s"`,
        ...keys.map((key) => `note_${key}: ${yamlString(notes[key]!)}`),
        "hooks:",
        "  updating:",
        "    - mkdir notes",
        ...keys.map((key) => `    - printf '%s' %(note_${key})s > notes/${key}`),
        "    - printf '%s' %(app_name)s > APP",
        "stage_role_configs:",
        "  production:",
        "    web:",
        "      hosts: [host1]",
        `      linked_files: ${JSON.stringify(linkedFiles)}`,
        `      linked_dirs: ${JSON.stringify(linkedDirs)}`,
        "",
      ].join("\n"),
    });

    const run = await deploy(dir);
    expect(run.code, run.stderr).toBe(0);

    const tree = await published(`/srv/www/${app}`);
    for (const key of keys) expect(readFileSync(tree.local(`current/notes/${key}`), "utf8"), key).toBe(notes[key]);
    expect(readFileSync(tree.local("current/APP"), "utf8")).toBe(app);
    for (const name of [...linkedFiles, ...linkedDirs]) {
      expect(lstatSync(tree.local(`current/${name}`)).isSymbolicLink(), name).toBe(true);
      expect(readlinkSync(tree.local(`current/${name}`)), name).toBe(`/srv/www/${app}/shared/${name}`);
      expect(existsSync(tree.local(`shared/${name}`)), name).toBe(true);
    }
    // The glob was a name, not a pattern: conf/ holds exactly what was linked (the canary paths hold '/').
    const top = new Set(linkedFiles.map((f) => f.slice("conf/".length).split("/")[0]!));
    expect(readdirSync(tree.local("shared/conf")).sort()).toEqual([...top].sort());
  });

  it("command-line values: --set, key options, stage, role and task names", async () => {
    const dir = await project({
      "deploy.yml": `app_name: cli
path: /srv/www/cli
hooks:
  updating: printf '%s' %(app_name)s > APP
stage_role_configs:
  production:
    web:
      hosts: [host1]
`,
    });
    const deployPath = `/srv/www/cli dir $(touch ${canaries}/cli-path); touch ${canaries}/cli-path2`;
    const app = `x'; touch ${canaries}/cli-app; '`;
    const run = await deploy(
      dir,
      "--set",
      `path=${deployPath}`,
      "--set",
      `app_name=${app}`,
      `--linked-files=a;touch ${canaries}/cli-lf,b c,$(touch ${canaries}/cli-lf2)`,
      "--linked-dirs",
      `\`touch ${canaries}/cli-ld\``,
    );
    expect(run.code, run.stderr).toBe(0);
    const tree = await published(deployPath);
    expect(readFileSync(tree.local("current/APP"), "utf8")).toBe(app);
    for (const name of [`a;touch ${canaries}/cli-lf`, "b c", `$(touch ${canaries}/cli-lf2)`, `\`touch ${canaries}/cli-ld\``]) {
      expect(existsSync(tree.local(`shared/${name}`)), name).toBe(true);
    }

    // Refused before anything runs; none of them reaches a shell either.
    const refused = await Promise.all([
      deploy(dir, "--set", `release_id_format=%Y$(touch ${canaries}/cli-rid)`),
      runFap(hosts, dir, ["run", "deploy", "-s", `$(touch ${canaries}/cli-stage)`]),
      runFap(hosts, dir, ["run", "deploy", "-s", "production", "-r", `web; touch ${canaries}/cli-role`]),
      runFap(hosts, dir, ["run", `deploy; touch ${canaries}/cli-task`, "-s", "production"]),
      deploy(dir, `--keep-releases=1; touch ${canaries}/cli-keep`),
    ]);
    expect(refused.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(refused[0]!.stderr).toMatch(/^error: release_id_format gives '\d{4}\$\(touch .*cli-rid\)', which is not a valid directory name$/m);
    expect((await hostTree(hosts, 0, deployPath)).releases).toEqual(tree.releases);
  });

  it("plugin-git: a repository path and branch names made of shell code deploy as the names they are", async () => {
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd, env: GIT_ENV, encoding: "utf8" }).trim();
    const src = path.join(work, "src");
    git(work, "init", "-q", "-b", "main", src);
    execFileSync("sh", ["-c", "echo hello > README.md"], { cwd: src });
    git(src, "add", "-A");
    git(src, "commit", "-q", "-m", "one");
    const sha = git(src, "rev-parse", "HEAD");
    // git allows ; & | ' " ` $ ( ) in branch names, though not spaces: ${IFS} stands in for them.
    const branches = {
      semicolon: `a;touch\${IFS}${canaries}/git-semi`,
      dollar: `b$(touch\${IFS}${canaries}/git-dollar)`,
      backtick: `c\`touch\${IFS}${canaries}/git-tick\``,
      quotes: `d'&&touch\${IFS}${canaries}/git-single&&'"|touch\${IFS}${canaries}/git-double|"`,
    };
    for (const branch of Object.values(branches)) git(src, "branch", branch);
    const repo = path.join(work, `repos/it's a $(touch ${canaries}/git-repo) & "co".git`);
    mkdirSync(path.dirname(repo), { recursive: true });
    git(work, "clone", "-q", "--bare", src, repo);

    const dir = await project({
      "deploy.yml": `plugins: [fapistrano.git]
repo: ${yamlString(repo)}
path: /srv/www/git-%(stage)s
stage_role_configs:
  production:
    web:
      hosts: [host1]
`,
    });
    for (const [name, branch] of Object.entries(branches)) {
      const run = await deploy(dir, `--branch=${branch}`, "--set", `path=/srv/www/git ${name}`);
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      const tree = await published(`/srv/www/git ${name}`);
      expect(readFileSync(tree.local("current/REVISION"), "utf8").trim()).toBe(sha);
      expect(readFileSync(tree.local("current/README.md"), "utf8")).toBe("hello\n");
    }
  });
});
