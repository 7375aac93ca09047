import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { useThreeHosts } from "../three-hosts.js";

/**
 * Runs the `run:` steps of docs/ci.md's GitHub Actions job, in order, as the runner would (bash
 * -e, the step's env with the secrets filled in), in a fresh HOME that holds nothing until the
 * key step writes it, with GITHUB_ACTIONS and GITHUB_STEP_SUMMARY set. `npm ci` is mirrored:
 * node_modules is this repository's, linked. The hosts are reached by alias, so their `Host`
 * entries are the ci/ssh_config the page suggests committing.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const env = useThreeHosts();

interface Step {
  run?: string;
  env?: Record<string, string>;
}

function recipeSteps(): Step[] {
  const page = readFileSync(path.join(ROOT, "docs/ci.md"), "utf8");
  const section = /^## GitHub Actions\n([\s\S]*?)^## /m.exec(page)![1]!;
  const workflow = parse(/^```yaml[^\n]*\n([\s\S]*?)^```/m.exec(section)![1]!) as { jobs: Record<string, { steps: Step[] }> };
  return Object.values(workflow.jobs)[0]!.steps;
}

function bash(script: string, cwd: string, vars: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile("bash", ["-e", "-c", script], { cwd, env: vars }, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr })),
  );
}

describe("docs/ci.md", () => {
  it("its GitHub Actions job deploys, keeps the --json log and the report, and writes the job summary", async () => {
    const dir = await env.project("cirecipe");
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    const home = path.join(dir, "runner-home");
    mkdirSync(home);
    const testSsh = path.join(env.hosts.env.HOME!, ".ssh");
    // The hosts' aliases, pointing at the files the key step writes, as a committed ci/ssh_config would.
    mkdirSync(path.join(dir, "ci"));
    const aliases = readFileSync(path.join(testSsh, "config"), "utf8").replaceAll(testSsh, "~/.ssh");
    writeFileSync(path.join(dir, "ci/ssh_config"), aliases);
    const summary = path.join(dir, "step-summary.md");
    writeFileSync(summary, "");
    const secrets: Record<string, string> = {
      DEPLOY_SSH_KEY: readFileSync(path.join(testSsh, "id_ed25519"), "utf8").trim(),
      DEPLOY_KNOWN_HOSTS: readFileSync(path.join(testSsh, "known_hosts"), "utf8").trim(),
    };
    const runner = { PATH: process.env.PATH, HOME: home, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary, NO_COLOR: "1", SSH_AUTH_SOCK: "" };

    const steps = recipeSteps().filter((s) => s.run !== undefined && s.run.trim() !== "npm ci");
    expect(steps.map((s) => s.run!.split("\n")[0])).toEqual(["install -d -m 700 ~/.ssh", "npx fap deploy -s production --lock-wait 600 --json --report fap-report.html > fap-run.ndjson"]);
    for (const [n, step] of steps.entries()) {
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, v.replace(/^\$\{\{ secrets\.(\w+) \}\}$/, (_, name: string) => secrets[name]!)]));
      // The alias step the page describes, for hosts reached by alias.
      const script = n === 0 ? `${step.run}\ncp ci/ssh_config ~/.ssh/config` : step.run!;
      const result = await bash(script, dir, { ...runner, ...stepEnv });
      expect(result.code, result.stderr).toBe(0);
    }

    const events = readFileSync(path.join(dir, "fap-run.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; ok?: boolean });
    expect(events.at(-1)).toMatchObject({ type: "run", ok: true });
    expect(readFileSync(path.join(dir, "fap-report.html"), "utf8")).toContain("<title>fap deploy cirecipe · production</title>");
    const table = readFileSync(summary, "utf8");
    expect(table).toMatch(/^### fap deploy cirecipe · production: ✅ succeeded$/m);
    for (const host of ["host1", "host2", "host3"]) expect(table).toMatch(new RegExp(`^\\| ${host} \\| production\\.web \\| switched \\|`, "m"));
    expect(table).toContain("Report: `fap-report.html`");
  });
});
