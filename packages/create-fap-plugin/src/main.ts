import { readFileSync } from "node:fs";
import path from "node:path";
import { pluginNames } from "./names.js";
import { scaffold } from "./scaffold.js";

const USAGE = `usage: npm create fap-plugin@latest <name> [folder]

  <name>    my-thing, fap-plugin-my-thing or @scope/my-thing: the package is named
            fap-plugin-<name>, so that a config can name the plugin <name>
  [folder]  where to create it (default: the name, without its scope)`;

/** The version of this package: the new plugin is made for the @fap/core of the same release. */
export function ownVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

export interface MainIo {
  cwd?: string;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

/** `create-fap-plugin <name> [folder]`; resolves with the exit code. */
export async function main(args: readonly string[], io: MainIo = {}): Promise<number> {
  const out = io.out ?? ((text: string) => process.stdout.write(text));
  const err = io.err ?? ((text: string) => process.stderr.write(text));
  if (args.includes("-h") || args.includes("--help")) {
    out(`${USAGE}\n`);
    return 0;
  }
  const positional = args.filter((arg) => !arg.startsWith("-"));
  const unknown = args.find((arg) => arg.startsWith("-"));
  if (unknown !== undefined || positional.length === 0 || positional.length > 2) {
    err(`${unknown !== undefined ? `unknown option ${unknown}` : positional.length === 0 ? "no plugin name given" : "too many arguments"}\n${USAGE}\n`);
    return 2;
  }
  try {
    const names = pluginNames(positional[0]!);
    const folder = positional[1] ?? names.dir;
    const dir = path.resolve(io.cwd ?? process.cwd(), folder);
    const files = await scaffold({ names, dir, coreRange: `^${ownVersion()}` });
    out(
      [
        `Created ${names.packageName} in ${folder}: ${files.join(", ")}`,
        "",
        "Next:",
        `  cd ${folder}`,
        "  npm install",
        "  npm test        # deploys to real OpenSSH servers on 127.0.0.1 (Linux, root, openssh-server)",
        "",
        `Users add it with \`npm install --save-dev ${names.packageName}\` and \`plugins: [${names.useName}]\`.`,
        "",
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    err(`error: ${(error as Error).message}\n`);
    return 1;
  }
}
