import { describe, expect, it } from "vitest";
import {
  appendLogCommand,
  checkLinkedPath,
  discardReleaseCommand,
  linkSharedCommand,
  removeCurrentCommand,
  removeReleasesCommand,
  startReleaseCommand,
  switchCurrentCommand,
} from "../../src/shell/release.js";
import type { ReleaseLogEntry } from "../../src/release/release-log.js";
import { thrown } from "../../../../test/thrown.js";

const paths = { root: "/srv/app", releases: "/srv/app/releases", current: "/srv/app/current", shared: "/srv/app/shared", meta: "/srv/app/.fap" };
const entry: ReleaseLogEntry = { id: "240102-030405", status: "pending", time: "2024-01-02T03:04:05.000Z", user: "deploy", deploy: "abcd1234" };
const JSON_LINE = `'{"id":"240102-030405","status":"pending","time":"2024-01-02T03:04:05.000Z","user":"deploy","deploy":"abcd1234"}'`;
const release = "/srv/app/releases/240102-030405";

describe("release commands", () => {
  it("appendLogCommand", () => {
    expect(appendLogCommand(paths, entry)).toBe(`printf '%s\\n' ${JSON_LINE} >> /srv/app/.fap/releases.log`);
  });

  it("appendLogCommand quotes what plugins recorded", () => {
    expect(appendLogCommand(paths, { ...entry, revision: "it's $(x)" })).toBe(
      `printf '%s\\n' '{"id":"240102-030405","status":"pending","time":"2024-01-02T03:04:05.000Z","user":"deploy","deploy":"abcd1234","revision":"it'\\''s $(x)"}' >> /srv/app/.fap/releases.log`,
    );
  });

  it("startReleaseCommand", () => {
    expect(startReleaseCommand(paths, release, entry)).toBe(
      "{ test -d /srv/app/releases && test -d /srv/app/shared && test -d /srv/app/.fap || mkdir -p /srv/app/releases /srv/app/shared /srv/app/.fap; }" +
        ` && mkdir ${release} && printf '%s\\n' ${JSON_LINE} >> /srv/app/.fap/releases.log`,
    );
  });

  it("switchCurrentCommand: relative link, renamed over current", () => {
    expect(switchCurrentCommand(paths, release, "240102-030405")).toBe(
      "test -d /srv/app/releases/240102-030405" +
        " && ln -sfn releases/240102-030405 /srv/app/.current-240102-030405.tmp" +
        " && mv -T /srv/app/.current-240102-030405.tmp /srv/app/current",
    );
  });

  it("switchCurrentCommand: absolute link when releases live elsewhere", () => {
    expect(switchCurrentCommand({ ...paths, releases: "/data/releases" }, "/data/releases/1", "1")).toBe(
      "test -d /data/releases/1 && ln -sfn /data/releases/1 /srv/app/.current-1.tmp && mv -T /srv/app/.current-1.tmp /srv/app/current",
    );
  });

  it("switchCurrentCommand quotes a deploy path with spaces", () => {
    const spaced = { root: "/srv/my app", releases: "/srv/my app/releases", current: "/srv/my app/current", shared: "/srv/my app/shared", meta: "/srv/my app/.fap" };
    expect(switchCurrentCommand(spaced, "/srv/my app/releases/1", "1")).toBe(
      "test -d '/srv/my app/releases/1' && ln -sfn releases/1 '/srv/my app/.current-1.tmp' && mv -T '/srv/my app/.current-1.tmp' '/srv/my app/current'",
    );
  });

  it("removeCurrentCommand and removeReleasesCommand", () => {
    expect(removeCurrentCommand(paths)).toBe("rm -f /srv/app/current");
    expect(removeReleasesCommand(paths, ["240101-000000", "240101-000000-2"])).toBe(
      "rm -rf /srv/app/releases/240101-000000 /srv/app/releases/240101-000000-2",
    );
  });

  it("discardReleaseCommand", () => {
    expect(discardReleaseCommand(paths, release, { ...entry, status: "failed" })).toBe(
      `if test -d ${release}; then rm -rf ${release} && printf '%s\\n' ${JSON_LINE.replace("pending", "failed")} >> /srv/app/.fap/releases.log; fi`,
    );
  });

  it("linkSharedCommand", () => {
    // The check before a linked file whose directory `config` is under `root`, as the host runs it.
    const refusal = (root: string, where: string) =>
      String.raw`for fap_p in config; do test ! -L ${root}/"$fap_p" || { printf '%s: '\''%s'\'' in %s is a symlink (to %s); fap will not write through it\n' 'linked path '\''config/settings.py'\''' "$fap_p" ${where} "$(readlink ${root}/"$fap_p")" >&2; exit 86; }; done`;
    expect(linkSharedCommand(paths, "/srv/app/releases/1", ["config/settings.py"], ["log/"]).split("\n")).toEqual([
      "set -e",
      "mkdir -p /srv/app/releases/1",
      "if ! test -d /srv/app/shared/log && ! test -L /srv/app/shared/log; then if test -d /srv/app/releases/1/log && ! test -L /srv/app/releases/1/log; then mkdir -p /srv/app/shared && cp -a /srv/app/releases/1/log /srv/app/shared/log; else mkdir -p /srv/app/shared/log; fi; fi",
      "rm -rf /srv/app/releases/1/log",
      "ln -s /srv/app/shared/log /srv/app/releases/1/log",
      refusal("/srv/app/releases/1", "'the release'"),
      refusal("/srv/app/shared", "shared/"),
      "mkdir -p /srv/app/releases/1/config /srv/app/shared/config",
      "if ! test -e /srv/app/shared/config/settings.py && ! test -L /srv/app/shared/config/settings.py; then if test -f /srv/app/releases/1/config/settings.py && ! test -L /srv/app/releases/1/config/settings.py; then cp -a /srv/app/releases/1/config/settings.py /srv/app/shared/config/settings.py; else : > /srv/app/shared/config/settings.py; fi; fi",
      "rm -rf /srv/app/releases/1/config/settings.py",
      "ln -s /srv/app/shared/config/settings.py /srv/app/releases/1/config/settings.py",
    ]);
  });

  it("linkSharedCommand is empty when nothing is linked", () => {
    expect(linkSharedCommand(paths, "/srv/app/releases/1", [], [])).toBe("");
  });

  it("linkSharedCommand quotes a hostile name", () => {
    const command = linkSharedCommand(paths, "/srv/app/releases/1", ["$(touch x).py"], []);
    expect(command).toContain("ln -s '/srv/app/shared/$(touch x).py' '/srv/app/releases/1/$(touch x).py'");
  });

  it.each([
    [["config/settings.py"], ["config"], "linked path 'config/settings.py' is inside linked dir 'config'"],
    [[], ["public", "public/uploads"], "linked path 'public/uploads' is inside linked dir 'public'"],
    [[], ["public/uploads", "public/"], "linked path 'public/uploads' is inside linked dir 'public/'"],
  ])("linkSharedCommand refuses %j inside linked dirs %j: its rm -rf would go through the link into shared/", (files, dirs, message) => {
    const error = thrown(() => linkSharedCommand(paths, "/srv/app/releases/1", files, dirs));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(message);
  });

  it("linkSharedCommand allows siblings that share a prefix", () => {
    expect(() => linkSharedCommand(paths, "/srv/app/releases/1", ["config.yml", "log"], ["log2", "config"])).not.toThrow();
  });
});

describe("checkLinkedPath", () => {
  it.each([
    ["log", "log"],
    ["log/", "log"],
    ["app/settings/production.py", "app/settings/production.py"],
    [".env", ".env"],
    ["$(touch x)", "$(touch x)"],
  ])("accepts %j as %j", (path, clean) => {
    expect(checkLinkedPath(path)).toBe(clean);
  });

  it.each(["/etc/passwd", "../x", "a/../b", "a/..", "", "/", "./x", "a/./b", "a//b", "..", "."])("refuses %j", (path) => {
    const error = thrown(() => checkLinkedPath(path));
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe(`linked path '${path}' must be relative to the release, without '.', '..' or empty parts`);
  });
});
