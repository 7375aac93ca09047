import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { runFap, startTestHosts, type TestHosts } from "../harness.js";

/**
 * The bad-input corpus: test/fixtures/bad-config/<name>/ holds a project (deploy.yml,
 * deploy.config.ts, .faprc, package.json, ...) with one mistake, `expect.txt` with what fap
 * must print (`error: REGEX` for the error line, optionally `hint: REGEX` for the hint line and
 * `any: REGEX` for either) and, optionally, `args.txt` (one argument a line; default
 * `run deploy -s production`). A fixture deploys to /srv/www/<its name>. fap runs in the fixture
 * folder, so plugins and @fap/cli resolve from the monorepo as from the project's node_modules.
 */
const CORPUS = fileURLToPath(new URL("../fixtures/bad-config/", import.meta.url));
const DEFAULT_ARGS = ["run", "deploy", "-s", "production"];

type Prefix = "error" | "hint" | "any";

interface Fixture {
  name: string;
  dir: string;
  args: string[];
  expected: Array<{ prefix: Prefix; pattern: RegExp }>;
}

function readFixture(name: string): Fixture {
  const dir = path.join(CORPUS, name);
  const argsFile = path.join(dir, "args.txt");
  const args = existsSync(argsFile) ? readFileSync(argsFile, "utf8").split("\n").filter((l) => l !== "") : DEFAULT_ARGS;
  const expected = readFileSync(path.join(dir, "expect.txt"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^(error|hint|any): (.*)$/.exec(line);
      if (!match) throw new Error(`${name}/expect.txt: lines start with 'error: ', 'hint: ' or 'any: ', got ${line}`);
      return { prefix: match[1] as Prefix, pattern: new RegExp(match[2]!) };
    });
  if (expected[0]?.prefix !== "error") throw new Error(`${name}/expect.txt: the first line must be 'error: REGEX'`);
  return { name, dir, args, expected };
}

const fixtures = readdirSync(CORPUS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => readFixture(entry.name))
  .sort((a, b) => a.name.localeCompare(b.name));

let hosts: TestHosts;

beforeAll(async () => {
  hosts = await startTestHosts({ count: 2 });
});
afterAll(async () => {
  await hosts?.stop();
});

/** Everything the hosts' own directories hold: a rejected config must leave them empty. */
function hostContents(): string[] {
  return hosts.hosts.flatMap((host) => readdirSync(host.root, { recursive: true }).map((entry) => `${host.alias}:/srv/${entry}`));
}

// Concurrent: each fixture checks its own deploy path; the last test checks that nothing at all was created.
describe.concurrent("bad config: exit 2, one line naming the file or key, nothing on the hosts", () => {
  it("has at least 50 fixtures", ({ expect }) => {
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
  });

  it.for(fixtures)("$name", async (fixture, { expect }) => {
    const result = await runFap(hosts, fixture.dir, fixture.args, { FAP_BAD_CONFIG_NEVER_SET: "" });
    const lines = result.stderr.split("\n").filter((line) => line !== "");
    const shown = `stderr:\n${result.stderr}\nstdout:\n${result.stdout}`;
    expect(result.code, shown).toBe(2);
    expect(lines[0], shown).toMatch(/^error: /);
    expect(lines.slice(1).every((line) => line.startsWith("hint: ")), shown).toBe(true);
    expect(lines.length, shown).toBeLessThanOrEqual(2);
    expect(result.stderr, shown).not.toMatch(/^\s+at /m);
    for (const { prefix, pattern } of fixture.expected) {
      if (prefix === "any") {
        expect(result.stderr, shown).toMatch(pattern);
        continue;
      }
      const line = lines.find((l) => l.startsWith(`${prefix}: `));
      expect(line, `${prefix} line\n${shown}`).toBeDefined();
      expect(line!.slice(prefix.length + 2), shown).toMatch(pattern);
    }
    for (const host of hosts.hosts) expect(existsSync(host.local(`/srv/www/${fixture.name}`)), host.alias).toBe(false);
  });
});

describe("after the whole corpus", () => {
  it("nothing was created on any host", ({ expect }) => {
    expect(hostContents()).toEqual([]);
  });
});
