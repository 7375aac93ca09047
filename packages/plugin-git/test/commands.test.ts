import { describe, expect, it } from "vitest";
import { startedCommand } from "../src/resolve-revision-command.js";
import { updatingCommand, type UpdatingCommandInput } from "../src/export-release-command.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const R = "/srv/www/app/repo";
const ALL = `'+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*'`;
const FETCH_ALL =
  `if test -f ${R}/shallow; then git -c fetch.unpackLimit=1 -C ${R} fetch -q --prune --unshallow origin -- ${ALL}; ` +
  `else git -c fetch.unpackLimit=1 -C ${R} fetch -q --prune origin -- ${ALL}; fi`;
const INIT = `git init -q --bare --template= -- ${R}`;
/** The mirror command for a repo URL that needs no quoting in git's config. */
const mirror = (repo: string) =>
  `if test -d ${R}/objects; then git -C ${R} config -- remote.origin.url ${repo}; elif test -e ${R}/config; then ${INIT} && git -C ${R} config -- remote.origin.url ${repo}; ` +
  `else ${INIT} && printf '%s\\n' '[remote "origin"]' '\turl = "${repo}"' >> ${R}/config; fi`;

describe("startedCommand", () => {
  it("asks the remote for its HEAD when branch is unset, without a mirror", () => {
    expect(startedCommand({ repo: "git@example.com:o/app.git", repoPath: R, branch: undefined, depth: 1 })).toBe(
      "git ls-remote --symref git@example.com:o/app.git HEAD",
    );
  });

  it("asks the remote for the branch and tag of that name, without a mirror", () => {
    expect(startedCommand({ repo: "file:///tmp/app.git", repoPath: R, branch: "main", depth: 1 })).toBe(
      "git ls-remote file:///tmp/app.git refs/heads/main refs/tags/main 'refs/tags/main^{}'",
    );
  });

  it("quotes a branch and a repo full of shell", () => {
    expect(startedCommand({ repo: "/tmp/a b;$(id).git", repoPath: "/srv/my app/repo", branch: "$(touch${IFS}/tmp/x)", depth: 1 })).toBe(
      `git ls-remote '/tmp/a b;$(id).git' 'refs/heads/$(touch\${IFS}/tmp/x)' 'refs/tags/$(touch\${IFS}/tmp/x)' 'refs/tags/$(touch\${IFS}/tmp/x)^{}'`,
    );
  });

  it("looks an abbreviated sha up in the full history when no ref has that name", () => {
    expect(startedCommand({ repo: "/tmp/app.git", repoPath: R, branch: "0123abc", depth: 1 })).toBe(
      [
        "set -e",
        mirror("/tmp/app.git"),
        `refs=$(git -C ${R} ls-remote origin refs/heads/0123abc refs/tags/0123abc 'refs/tags/0123abc^{}')`,
        `printf '%s\\n' "$refs"`,
        `if test -z "$refs"; then`,
        `  ${FETCH_ALL}`,
        `  printf '%s\\n' ::fap-git::commit`,
        `  git -C ${R} rev-parse --verify -q '0123abc^{commit}' || true`,
        "fi",
      ].join("\n"),
    );
  });

  it("fetches a full sha alone when shallow, the full history only if the server refuses", () => {
    const command = startedCommand({ repo: "/tmp/app.git", repoPath: R, branch: SHA, depth: 3 });
    expect(command.split("\n")[5]).toBe(`  git -c fetch.unpackLimit=1 -C ${R} fetch -q --depth 3 origin -- ${SHA} 2>/dev/null || ${FETCH_ALL}`);
  });

  it("fetches the full history for a sha when git_shallow_clone is 0", () => {
    const command = startedCommand({ repo: "/tmp/app.git", repoPath: R, branch: SHA, depth: 0 });
    expect(command.split("\n")[5]).toBe(`  ${FETCH_ALL}`);
  });
});

describe("updatingCommand", () => {
  const base: UpdatingCommandInput = {
    repo: "/tmp/app.git",
    repoPath: R,
    revision: { kind: "branch", name: "main", sha: SHA },
    depth: 1,
    archiveTree: undefined,
    releasePath: "/srv/www/app/releases/240101-120000",
    revisionFile: "REVISION",
  };
  const REL = base.releasePath;
  const check = (what: string) => `git -C ${R} cat-file -e '${SHA}^{commit}' 2>/dev/null || { printf '%s\\n' 'cannot fetch ${SHA} (${what}) from origin' >&2; exit 1; }`;
  /** The fetch block: by sha, then (checked, as a fetch by sha needs not be) by `fallback`; or only `fallback` when bySha is undefined. */
  const fetchBlock = (bySha: string | undefined, fallback: string, what: string) => [
    `if ! { test -d ${R}/objects && git -C ${R} cat-file -e '${SHA}^{commit}' 2>/dev/null; }; then`,
    `  ${mirror("/tmp/app.git")}`,
    ...(bySha === undefined
      ? [`  ${fallback}`, `  ${check(what)}`]
      : [`  if ! ${bySha} 2>/dev/null; then`, `    ${fallback}`, `    ${check(what)}`, "  fi"]),
    "fi",
  ];
  const bySha = (depth: number) => `git -c fetch.unpackLimit=1 -C ${R} fetch -q --depth ${depth} origin -- ${SHA}`;
  const revision = [`! { test -e ${REL}/REVISION || test -L ${REL}/REVISION; } || rm -f ${REL}/REVISION`, `printf '%s\\n' ${SHA} > ${REL}/REVISION`];

  it("fetches a branch's commit shallowly, exports it and writes REVISION", () => {
    expect(updatingCommand(base)).toBe(
      [
        "set -e",
        ...fetchBlock(bySha(1), `git -c fetch.unpackLimit=1 -C ${R} fetch -q --depth 1 origin -- +refs/heads/main:refs/heads/main`, "branch main"),
        `git -C ${R} archive --format=tar ${SHA} | tar -x -f - -C ${REL}`,
        ...revision,
      ].join("\n"),
    );
  });

  it("falls back to a tag's ref", () => {
    const command = updatingCommand({ ...base, revision: { kind: "tag", name: "v1.0", sha: SHA }, depth: 5 });
    expect(command.split("\n").slice(3, 5)).toEqual([
      `  if ! ${bySha(5)} 2>/dev/null; then`,
      `    git -c fetch.unpackLimit=1 -C ${R} fetch -q --depth 5 origin -- +refs/tags/v1.0:refs/tags/v1.0`,
    ]);
  });

  it("fetches a commit by sha, everything only if the server refuses that", () => {
    const command = updatingCommand({ ...base, revision: { kind: "commit", name: "0123", sha: SHA } });
    expect(command.split("\n").slice(3, 5)).toEqual([`  if ! ${bySha(1)} 2>/dev/null; then`, `    ${FETCH_ALL}`]);
  });

  it("fetches every branch and tag in full when git_shallow_clone is 0", () => {
    expect(updatingCommand({ ...base, depth: 0 }).split("\n").slice(1, 6)).toEqual(fetchBlock(undefined, FETCH_ALL, "branch main"));
  });

  it("exports a subtree, stripping its path parts", () => {
    expect(updatingCommand({ ...base, archiveTree: "services/web" }).split("\n").slice(8)).toEqual([
      `test "$(git -C ${R} cat-file -t ${SHA}:services/web 2>/dev/null)" = tree || ` +
        `{ printf '%s\\n' 'git_archive_tree '\\''services/web'\\'' is not a folder in ${SHA}' >&2; exit 3; }`,
      `git --literal-pathspecs -C ${R} archive --format=tar ${SHA} -- services/web | tar -x -f - -C ${REL} --strip-components=2`,
      ...revision,
    ]);
  });

  it("creates the folder of a nested revision file", () => {
    expect(updatingCommand({ ...base, revisionFile: "meta/REVISION" }).split("\n").slice(-3)).toEqual([
      `mkdir -p ${REL}/meta`,
      `! { test -e ${REL}/meta/REVISION || test -L ${REL}/meta/REVISION; } || rm -f ${REL}/meta/REVISION`,
      `printf '%s\\n' ${SHA} > ${REL}/meta/REVISION`,
    ]);
  });

  it("quotes a branch full of shell in the ref it falls back to", () => {
    const command = updatingCommand({ ...base, revision: { kind: "branch", name: "$(touch${IFS}/tmp/x)", sha: SHA } });
    expect(command.split("\n")[4]).toBe(
      `    git -c fetch.unpackLimit=1 -C ${R} fetch -q --depth 1 origin -- '+refs/heads/$(touch\${IFS}/tmp/x):refs/heads/$(touch\${IFS}/tmp/x)'`,
    );
  });
});
