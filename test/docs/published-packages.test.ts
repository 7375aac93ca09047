import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// What `npm publish` would ship of each package, asked of npm itself (`npm pack --dry-run`):
// a README, no source map pointing at a file left out, no made-up URL in package.json.
// Needs `npm run build` first (the maps are the built ones).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PLACEHOLDER = /example\.(invalid|com|org)|placeholder|TODO|your-(org|name)/i;

interface Packed {
  name: string;
  files: Array<{ path: string }>;
}

function packed(): Promise<Packed[]> {
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm]] : ["npm", []];
  return new Promise((resolve, reject) =>
    execFile(command, [...args, "pack", "--dry-run", "--json", "--workspaces", "--ignore-scripts"], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as Packed[]),
    ),
  );
}

/** Each workspace package's folder, by its name. */
function folders(): Map<string, string> {
  const { workspaces } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { workspaces: string[] };
  const dirs = workspaces.flatMap((glob) => readdirSync(path.join(ROOT, glob.replace(/\/\*$/, ""))).map((name) => path.join(ROOT, glob.replace(/\/\*$/, ""), name)));
  const withManifest = dirs.filter((dir) => existsSync(path.join(dir, "package.json")));
  return new Map(withManifest.map((dir) => [(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string }).name, dir]));
}

/** The shipped maps whose sources are not shipped: `dist/x.js.map → src/x.ts`. */
function mapsWithoutSources(dir: string, files: readonly string[]): string[] {
  const shipped = new Set(files);
  return files
    .filter((file) => file.endsWith(".map"))
    .flatMap((map) => {
      const { sources = [], sourcesContent = [] } = JSON.parse(readFileSync(path.join(dir, map), "utf8")) as { sources?: string[]; sourcesContent?: (string | null)[] };
      // A source is there when the package ships its file or the map carries its text.
      const missing = sources
        .filter((_, i) => typeof sourcesContent[i] !== "string")
        .map((source) => path.posix.normalize(path.posix.join(path.posix.dirname(map), source)))
        .filter((source) => !shipped.has(source));
      return missing.map((source) => `${map} → ${source}`);
    });
}

describe("published packages (npm pack --dry-run)", async () => {
  const packs = await packed();
  const dirs = folders();

  it("are all packed", () => {
    expect(packs.length).toBeGreaterThanOrEqual(12);
    expect(packs.map((p) => p.name).filter((name) => !dirs.has(name))).toEqual([]);
  });

  it.each(packs.map((p) => [p.name, p] as const))("%s: ships its README, and no source map without its sources", (name, pack) => {
    const files = pack.files.map((f) => f.path);
    expect(files).toContain("README.md");
    expect(files).toContain("package.json");
    expect(files.filter((file) => file.endsWith(".tsbuildinfo") || file.startsWith("test/"))).toEqual([]);
    expect(mapsWithoutSources(dirs.get(name)!, files)).toEqual([]);
  });

  it.each(packs.map((p) => [p.name] as const))("%s: its README links the docs pages it names", (name) => {
    const readme = readFileSync(path.join(dirs.get(name)!, "README.md"), "utf8");
    // "see docs/config.md" with no link leaves a reader of the package to find fap's repository.
    const unlinked = [...readme.matchAll(/(?<![(/\w])docs\/[\w/.-]+\.md(?![\w)])/g)].filter((m) => !readme.slice(0, m.index).endsWith("["));
    expect(unlinked.map((m) => m[0])).toEqual([]);
  });

  it.each(packs.map((p) => [p.name] as const))("%s: package.json has no placeholder URL", (name) => {
    const manifest = readFileSync(path.join(dirs.get(name)!, "package.json"), "utf8");
    expect(manifest).not.toMatch(PLACEHOLDER);
  });
});
