import { describe, expect, it } from "vitest";
import { curlConfig, downloadCommand } from "../src/download-command.js";
import type { CurlSettings } from "../src/settings.js";

const base: CurlSettings = {
  url: "https://ci.example.com/builds/app-1.4.2.tgz",
  user: undefined,
  output: "app-1.4.2.tgz",
  options: [],
  extract: undefined,
  postinstallScript: undefined,
  postinstallOutput: true,
  maxTime: 600,
};
// A symlink the release holds at the output is removed, not written through.
const UNLINK = "test ! -L app-1.4.2.tgz || rm -f app-1.4.2.tgz";
const CURL = "curl --fail --location --retry 3 --max-time 600 --silent --show-error --create-dirs";

describe("downloadCommand", () => {
  it("downloads and keeps a file that is no archive", () => {
    expect(downloadCommand(base)).toBe(["set -e", UNLINK, `${CURL} --output app-1.4.2.tgz --url https://ci.example.com/builds/app-1.4.2.tgz`].join("\n"));
  });

  it("extracts a .tgz and removes it", () => {
    expect(downloadCommand({ ...base, extract: "tgz" })).toBe(
      [
        "set -e",
        UNLINK,
        `${CURL} --output app-1.4.2.tgz --url https://ci.example.com/builds/app-1.4.2.tgz`,
        "tar -xzf app-1.4.2.tgz --no-same-owner",
        "rm -f app-1.4.2.tgz",
      ].join("\n"),
    );
  });

  it("extracts a plain tar", () => {
    expect(downloadCommand({ ...base, output: "app.tar", extract: "tar" }).split("\n").slice(3)).toEqual([
      "tar -xf app.tar --no-same-owner",
      "rm -f app.tar",
    ]);
  });

  it("reads the user from stdin, never from the command line", () => {
    const command = downloadCommand({ ...base, user: "deploy:s3cret" });
    expect(command.split("\n")[2]).toBe(`${CURL} --config - --output app-1.4.2.tgz --url https://ci.example.com/builds/app-1.4.2.tgz`);
    expect(command).not.toContain("s3cret");
  });

  it("passes each of curl_options as one quoted argument, after fap's own so they can override them", () => {
    const command = downloadCommand({ ...base, options: ["--retry", "5", "-H", "X-Token: a  b", "--max-time", "30"] });
    expect(command.split("\n")[2]).toBe(
      `${CURL} --retry 5 -H 'X-Token: a  b' --max-time 30 --output app-1.4.2.tgz --url https://ci.example.com/builds/app-1.4.2.tgz`,
    );
  });

  it("refuses a symlink on the way to an output in a folder", () => {
    const lines = downloadCommand({ ...base, output: "build/app.tgz" }).split("\n");
    expect(lines[1]).toMatch(/^for fap_p in build; do test ! -L \.\/"\$fap_p" \|\| .*curl_output .*exit 86; }; done$/);
  });

  it("quotes a URL and an output full of shell", () => {
    const command = downloadCommand({ ...base, url: "http://h/$(touch /tmp/x);id.tgz", output: "a b'$(id).tgz", extract: "tgz", maxTime: 30 });
    expect(command).toBe(
      [
        "set -e",
        `test ! -L 'a b'\\''$(id).tgz' || rm -f 'a b'\\''$(id).tgz'`,
        `curl --fail --location --retry 3 --max-time 30 --silent --show-error --create-dirs --output 'a b'\\''$(id).tgz' --url 'http://h/$(touch /tmp/x);id.tgz'`,
        `tar -xzf 'a b'\\''$(id).tgz' --no-same-owner`,
        `rm -f 'a b'\\''$(id).tgz'`,
      ].join("\n"),
    );
  });
});

describe("curlConfig", () => {
  it.each([
    ["deploy:s3cret", 'user = "deploy:s3cret"\n'],
    ['a"b:p\\w', 'user = "a\\"b:p\\\\w"\n'],
    ["u:pa ss$(id)'", `user = "u:pa ss$(id)'"\n`],
  ])("writes %j in curl's config syntax", (user, expected) => {
    expect(curlConfig(user)).toBe(expected);
  });
});
