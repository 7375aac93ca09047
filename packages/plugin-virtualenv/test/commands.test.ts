import { describe, expect, it } from "vitest";
import { RELOCATE_SCRIPT } from "../src/_relocate-script.js";
import { quote } from "@fap/core";
import { readMarks, updatedCommand, type UpdatedCommandInput } from "../src/install-venv-command.js";
import { readSettings } from "../src/settings.js";

const REL = "/srv/www/app/releases/240101-120000";
const PREV = "/srv/www/app/releases/231231-090000";
const PIP = `${REL}/venv/bin/python -m pip install --disable-pip-version-check --no-input`;
const CREATE =
  `if command -v virtualenv >/dev/null 2>&1; then printf '%s\\n' '::fap-virtualenv::with virtualenv'; virtualenv ${REL}/venv; ` +
  `else printf '%s\\n' '::fap-virtualenv::with python3 -m venv'; python3 -m venv ${REL}/venv; fi`;

// The input a release gets from virtualenv's defaults, resolved for REL.
const base: UpdatedCommandInput = {
  releasePath: REL,
  ...readSettings({ virtualenv_requirements: `${REL}/requirements.txt`, virtualenv_venv_path: `${REL}/venv` }, REL),
  previous: undefined,
};

describe("updatedCommand", () => {
  it("checks the requirements, creates the venv with virtualenv or venv, installs the requirements (Fapistrano's two commands)", () => {
    expect(updatedCommand(base)).toBe(
      [
        "set -e",
        `test -f ${REL}/requirements.txt || { printf '%s\\n' '${REL}/requirements.txt does not exist' >&2; exit 3; }`,
        `rm -rf ${REL}/venv`,
        "printf '%s\\n' '::fap-virtualenv::step create'",
        CREATE,
        "printf '%s\\n' '::fap-virtualenv::step install'",
        `${PIP} -r ${REL}/requirements.txt`,
      ].join("\n"),
    );
  });

  it("uses the executive, pip options, pip config file, index URL from stdin and a pip upgrade", () => {
    const command = updatedCommand({
      ...base,
      executive: ["/usr/bin/python3.11", "-m", "venv"],
      pipOptions: ["--no-index", "--find-links", "/srv/my wheels"],
      pipConfigFile: "/dev/null",
      pipIndexUrl: "https://user:secret@pypi.example/simple",
      pipUpgrade: true,
    });
    const pip = `${PIP} --no-index --find-links '/srv/my wheels'`;
    expect(command).toBe(
      [
        "set -e",
        `test -f ${REL}/requirements.txt || { printf '%s\\n' '${REL}/requirements.txt does not exist' >&2; exit 3; }`,
        "PIP_CONFIG_FILE=/dev/null; export PIP_CONFIG_FILE",
        "IFS= read -r PIP_INDEX_URL; export PIP_INDEX_URL",
        `rm -rf ${REL}/venv`,
        "printf '%s\\n' '::fap-virtualenv::step create'",
        `/usr/bin/python3.11 -m venv ${REL}/venv`,
        "printf '%s\\n' '::fap-virtualenv::step upgrade'",
        `${pip} --upgrade pip`,
        "printf '%s\\n' '::fap-virtualenv::step install'",
        `${pip} -r ${REL}/requirements.txt`,
      ].join("\n"),
    );
    expect(command).not.toContain("secret");
  });

  it("never removes a venv outside the release", () => {
    const command = updatedCommand({ ...base, venvPath: "/srv/venvs/app" });
    expect(command).not.toContain("rm -rf");
    expect(command).toContain("virtualenv /srv/venvs/app;");
  });

  it("copies the previous venv when the requirements are byte-identical, verifies it offline, else creates one", () => {
    const command = updatedCommand({
      ...base,
      reuse: true,
      pipOptions: ["--find-links", "/srv/wheels"],
      previous: { releasePath: PREV, requirements: `${PREV}/requirements.txt`, venvPath: `${PREV}/venv` },
    });
    const pip = `${PIP} --find-links /srv/wheels`;
    expect(command).toBe(
      [
        "set -e",
        `test -f ${REL}/requirements.txt || { printf '%s\\n' '${REL}/requirements.txt does not exist' >&2; exit 3; }`,
        `rm -rf ${REL}/venv`,
        "reused=",
        `if test -f ${PREV}/requirements.txt && test -x ${PREV}/venv/bin/python && cmp -s ${PREV}/requirements.txt ${REL}/requirements.txt; then`,
        `  if { mkdir -p ${REL} && cp -a ${PREV}/venv ${REL}/venv && ` +
          `${REL}/venv/bin/python -c ${quote(RELOCATE_SCRIPT)} ${PREV}/venv ${REL}/venv ${PREV} && ` +
          `${pip} --no-index -r ${REL}/requirements.txt; } >/dev/null 2>&1; then`,
        "    reused=1",
        "    printf '%s\\n' ::fap-virtualenv::reused",
        "  else",
        `    rm -rf ${REL}/venv`,
        "    printf '%s\\n' ::fap-virtualenv::reuse-failed",
        "  fi",
        "fi",
        `if test -z "$reused"; then`,
        "  printf '%s\\n' '::fap-virtualenv::step create'",
        `  ${CREATE}`,
        "  printf '%s\\n' '::fap-virtualenv::step install'",
        `  ${pip} -r ${REL}/requirements.txt`,
        "fi",
      ].join("\n"),
    );
  });

  it("quotes paths and options full of shell", () => {
    const evil = "/srv/www/$(touch /tmp/x)/releases/1";
    const command = updatedCommand({
      ...base,
      releasePath: evil,
      requirements: `${evil}/req's.txt`,
      venvPath: `${evil}/venv`,
      pipOptions: ["--find-links", "`id`;rm -rf /"],
    });
    expect(command).toContain(`test -f '/srv/www/$(touch /tmp/x)/releases/1/req'\\''s.txt' ||`);
    expect(command).toContain(`rm -rf '/srv/www/$(touch /tmp/x)/releases/1/venv'`);
    expect(command).toContain(`--find-links '\`id\`;rm -rf /' -r`);
  });
});

describe("readMarks", () => {
  it.each([
    ["", { reused: false, reuseFailed: false, lastStep: undefined, createdWith: undefined }],
    [
      "::fap-virtualenv::step create\n::fap-virtualenv::with virtualenv\ncreated virtual environment\n::fap-virtualenv::step install\nCollecting x\n",
      { reused: false, reuseFailed: false, lastStep: "install", createdWith: "virtualenv" },
    ],
    ["::fap-virtualenv::reused\n", { reused: true, reuseFailed: false, lastStep: undefined, createdWith: undefined }],
    [
      "::fap-virtualenv::reuse-failed\n::fap-virtualenv::step create\n::fap-virtualenv::with python3 -m venv\n",
      { reused: false, reuseFailed: true, lastStep: "create", createdWith: "python3 -m venv" },
    ],
  ])("%j", (stdout, marks) => {
    expect(readMarks(stdout)).toEqual(marks);
  });
});
