import { posix } from "node:path";
import { refuseSymlinks, sh } from "@fap/core";
import { RELOCATE_SCRIPT } from "./_relocate-script.js";
import { isInside, type VirtualenvSettings } from "./settings.js";

/** Where the live release keeps what this release needs, for `virtualenv_reuse`. */
export interface PreviousVenv {
  releasePath: string;
  requirements: string;
  venvPath: string;
}

export interface UpdatedCommandInput extends VirtualenvSettings {
  releasePath: string;
  /** The live release's venv and requirements, when reuse is on and they are inside it. */
  previous: PreviousVenv | undefined;
}

/** Exit code of the `updated` command when the requirements file is not there. */
export const NO_REQUIREMENTS_EXIT = 3;

/** Lines of the command's stdout that say what it did; see `readMarks`. */
export const MARK = "::fap-virtualenv::";

/** Options for every pip run: a deploy never waits for a prompt or asks PyPI for pip's version. */
const PIP_FLAGS = ["--disable-pip-version-check", "--no-input"];

/**
 * One round trip, run in the release: checks the requirements file, then either copies the
 * previous release's venv (reuse on, requirements byte-identical; its paths rewritten and
 * the copy verified with an offline `pip install`, else dropped) or creates a venv, upgrades
 * pip if asked, and installs the requirements. Secrets (the index URL) come on stdin.
 */
export function updatedCommand(input: UpdatedCommandInput): string {
  const { requirements, venvPath } = input;
  const pip = (...args: Array<string | string[]>) => sh`${venvPath}/bin/python -m pip install ${[...PIP_FLAGS, ...input.pipOptions, ...args.flat()]}`;
  const mark = (what: string) => sh`printf '%s\\n' ${MARK + what}`;
  const lines = [
    "set -e",
    sh`test -f ${requirements} || { printf '%s\\n' ${`${requirements} does not exist`} >&2; exit ${NO_REQUIREMENTS_EXIT}; }`,
  ];
  if (input.pipConfigFile !== undefined) lines.push(sh`PIP_CONFIG_FILE=${input.pipConfigFile}; export PIP_CONFIG_FILE`);
  if (input.pipIndexUrl !== undefined) lines.push("IFS= read -r PIP_INDEX_URL; export PIP_INDEX_URL");
  // Only a venv inside the release is ours to replace (one committed by mistake, or left by a
  // retry), and only if no directory on its way is a symlink: rm -rf would follow it.
  if (isInside(venvPath, input.releasePath)) {
    const relative = venvPath.slice(input.releasePath.length + 1);
    const guard = refuseSymlinks(input.releasePath, relative, { what: `virtualenv_venv_path '${relative}'`, where: "the release" });
    lines.push(...(guard ? [guard] : []), sh`rm -rf ${venvPath}`);
  }

  const fresh = [
    mark("step create"),
    createCommand(input.executive, venvPath),
    ...(input.pipUpgrade ? [mark("step upgrade"), pip("--upgrade", "pip")] : []),
    mark("step install"),
    pip("-r", requirements),
  ];
  const previous = input.previous;
  if (previous === undefined) return [...lines, ...fresh].join("\n");

  const copy = [
    sh`mkdir -p ${posix.dirname(venvPath)}`,
    sh`cp -a ${previous.venvPath} ${venvPath}`,
    sh`${venvPath}/bin/python -c ${RELOCATE_SCRIPT} ${previous.venvPath} ${venvPath} ${previous.releasePath}`,
    pip("--no-index", "-r", requirements),
  ].join(" && ");
  return [
    ...lines,
    "reused=",
    sh`if test -f ${previous.requirements} && test -x ${previous.venvPath}/bin/python && cmp -s ${previous.requirements} ${requirements}; then`,
    `  if { ${copy}; } >/dev/null 2>&1; then`,
    `    reused=1`,
    `    ${mark("reused")}`,
    "  else",
    sh`    rm -rf ${venvPath}`,
    `    ${mark("reuse-failed")}`,
    "  fi",
    "fi",
    `if test -z "$reused"; then`,
    ...fresh.map((line) => `  ${line}`),
    "fi",
  ].join("\n");
}

/** Fapistrano's `virtualenv venv`; without virtualenv on the host, the standard library's venv. */
function createCommand(executive: string[] | undefined, venvPath: string): string {
  if (executive !== undefined) return sh`${executive} ${venvPath}`;
  return [
    sh`if command -v virtualenv >/dev/null 2>&1; then printf '%s\\n' ${`${MARK}with virtualenv`}; virtualenv ${venvPath}; `,
    sh`else printf '%s\\n' ${`${MARK}with python3 -m venv`}; python3 -m venv ${venvPath}; fi`,
  ].join("");
}

/** What the command printed about itself. */
export interface Marks {
  reused: boolean;
  /** The venv of the previous release was copied but did not pass verification. */
  reuseFailed: boolean;
  /** The step running when the command stopped: create, upgrade or install. */
  lastStep: string | undefined;
  /** `virtualenv` or `python3 -m venv`, when the default executive chose. */
  createdWith: string | undefined;
}

export function readMarks(stdout: string): Marks {
  const marks: Marks = { reused: false, reuseFailed: false, lastStep: undefined, createdWith: undefined };
  for (const line of stdout.split("\n")) {
    if (!line.startsWith(MARK)) continue;
    const what = line.slice(MARK.length);
    if (what === "reused") marks.reused = true;
    else if (what === "reuse-failed") marks.reuseFailed = true;
    else if (what.startsWith("step ")) marks.lastStep = what.slice(5);
    else if (what.startsWith("with ")) marks.createdWith = what.slice(5);
  }
  return marks;
}
