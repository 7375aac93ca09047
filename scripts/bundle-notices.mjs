// Code of other packages bundled into one of fap's (commander, yaml and semver into @fap/cli,
// tapable and p-limit into @fap/core, ssh2 and ssh-config into @fap/ssh...) ships with its
// license: the package's dist/THIRD-PARTY-NOTICES.txt names each of them, with its license
// text, as their licenses ask of copies.
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;

/** The folders of the installed packages whose files esbuild's metafile lists as inputs. */
function bundledPackages(metafile, cwd) {
  const roots = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    // A plugin's namespace ("ssh2-installed:installed") is not a file.
    if (/^[\w-]+:/.test(input)) continue;
    const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(path.resolve(cwd, input));
    if (match) roots.add(match[1]);
  }
  return roots;
}

/** Writes `packageDir`/dist/THIRD-PARTY-NOTICES.txt for what `results` (esbuild's, with metafiles) bundled. */
export function writeNotices(packageDir, results, cwd = process.cwd()) {
  const file = path.join(packageDir, "dist/THIRD-PARTY-NOTICES.txt");
  const roots = new Set(results.flatMap((result) => [...bundledPackages(result.metafile, cwd)]));
  if (roots.size === 0) {
    rmSync(file, { force: true });
    return;
  }
  const entries = [...roots]
    .map((root) => {
      const { name, version, license, licenses } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
      const licenseFile = readdirSync(root).find((f) => LICENSE_FILE.test(f));
      if (licenseFile === undefined) throw new Error(`${name} has no license file to ship with its code bundled into ${path.basename(packageDir)}`);
      // `licenses: [{ type }]` is the field's older form (ssh2's).
      return { name, version, license: license ?? licenses?.map((l) => l.type).join(" OR "), text: readFileSync(path.join(root, licenseFile), "utf8").trim() };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const { name } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
  const header = `${name} bundles code of the packages below into its dist/ files (scripts/bundle.mjs), each under its own license.\n`;
  writeFileSync(file, [header, ...entries.map((e) => `${"-".repeat(72)}\n${e.name} ${e.version} (${e.license})\n\n${e.text}\n`)].join("\n"));
}
