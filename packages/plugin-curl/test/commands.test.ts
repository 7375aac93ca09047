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
const CURL = "curl --fail --location --retry 3 --max-time 600 --silent --show-error --create-dirs";

describe("downloadCommand", () => {
  it("downloads and keeps a file that is no archive", () => {
    expect(downloadCommand(base)).toBe(["set -e", `${CURL} --output app-1.4.2.tgz --url https://ci.example.com/builds/app-1.4.2.tgz`].join("\n"));
  });

  it("extracts a .tgz and removes it", () => {
    expect(downloadCommand({ ...base, extract: "tgz" })).toBe(
      [
        "set -e",
        `${CURL} --output app-1.4.2.tgz --url https://ci.example.com/builds/app-1.4.2.tgz`,
        "tar -xzf app-1.4.2.tgz --no-same-owner",
        "rm -f app-1.4.2.tgz",
      ].join("\n"),
    );
  });

  it("extracts a plain tar", () => {
    expect(downloadCommand({ ...base, output: "app.tar", extract: "tar" }).split("\n").slice(2)).toEqual([
      "tar -xf app.tar --no-same-owner",
      "rm -f app.tar",
    ]);
  });

  it("reads the user from stdin, never from the command line", () => {
    const command = downloadCommand({ ...base, user: "deploy:s3cret" });
    expect(command.split("\n")[1]).toBe(`${CURL} --config - --output app-1.4.2.tgz --url https://ci.example.com/builds/app-1.4.2.tgz`);
    expect(command).not.toContain("s3cret");
  });

  it("passes each of curl_options as one quoted argument, after fap's own so they can override them", () => {
    const command = downloadCommand({ ...base, options: ["--retry", "5", "-H", "X-Token: a  b", "--max-time", "30"] });
    expect(command.split("\n")[1]).toBe(
      `${CURL} --retry 5 -H 'X-Token: a  b' --max-time 30 --output app-1.4.2.tgz --url https://ci.example.com/builds/app-1.4.2.tgz`,
    );
  });

  it("quotes a URL and an output full of shell", () => {
    const command = downloadCommand({ ...base, url: "http://h/$(touch /tmp/x);id.tgz", output: "a b'$(id).tgz", extract: "tgz", maxTime: 30 });
    expect(command).toBe(
      [
        "set -e",
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
