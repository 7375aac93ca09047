import { describe, expect, it } from "vitest";
import curl, { PLUGIN_NAME } from "../src/index.js";
import { readSettings } from "../src/settings.js";
import { parseArtifactUrl, withoutCredentials } from "../src/url.js";
import { expectNamedWithDefaults, expectRegistered, keyDefaults } from "../../../test/plugin-keys.js";
import { thrown } from "../../../test/thrown.js";

describe("curl()", () => {
  it("is named fap:curl and defaults like Fapistrano, as YAML's plugins: [fapistrano.curl] does", () => {
    expectNamedWithDefaults(curl(), PLUGIN_NAME, {
      curl_url: undefined,
      curl_output: undefined,
      curl_options: [],
      curl_user: undefined,
      curl_extract_tar: false,
      curl_extract_tgz: false,
      curl_postinstall_script: undefined,
      curl_postinstall_output: true,
      curl_max_time: 600,
    });
  });

  it("makes its options the keys' defaults and declares curl_user secret", () => {
    const plugin = curl({ url: "https://x/a.tgz", output: "b.tgz", options: ["-k"], user: "u:p", extractTgz: true, postinstallScript: "./install.sh", postinstallOutput: false, maxTime: 60 });
    expect(keyDefaults(plugin)).toMatchObject({ curl_url: "https://x/a.tgz", curl_output: "b.tgz", curl_options: ["-k"], curl_user: "u:p", curl_extract_tgz: true, curl_postinstall_script: "./install.sh", curl_postinstall_output: false, curl_max_time: 60 });
    expect(plugin.config?.curl_user?.secret).toBe(true);
    expect(Object.entries(plugin.config ?? {}).filter(([, spec]) => spec.secret).map(([key]) => key)).toEqual(["curl_user"]);
  });

  it("registers with core", () => {
    expectRegistered(curl(), "curl_extract_tgz", "boolean");
  });

  it.each([
    [{ url: true }, "[fap:curl] options: 'url' must be a string, got boolean true"],
    [{ extractTgz: "yes" }, "[fap:curl] options: 'extractTgz' must be true or false, got string \"yes\""],
    [{ options: { k: 1 } }, "[fap:curl] options: 'options' must be a list, got a map"],
    [{ maxTime: 0 }, "[fap:curl] options: 'maxTime' must be a number above 0, got number 0"],
    [{ maxtime: 5 }, "[fap:curl] options: unknown option 'maxtime'"],
  ])("rejects %j", (options, message) => {
    expect(() => curl(options as never)).toThrow(expect.objectContaining({ code: "E_CONFIG", message }));
  });
});

describe("readSettings", () => {
  const config = { curl_url: "https://ci.example.com/builds/app.tgz?token=1", curl_options: [], curl_extract_tgz: true, curl_max_time: 600 };

  it("reads a host's resolved keys; curl_output defaults to the URL's last path part", () => {
    expect(readSettings({ ...config, curl_postinstall_script: "./install.sh" })).toEqual({
      url: "https://ci.example.com/builds/app.tgz?token=1",
      user: undefined,
      output: "app.tgz",
      options: [],
      extract: "tgz",
      postinstallScript: "./install.sh",
      postinstallOutput: true,
      maxTime: 600,
    });
  });

  it("moves credentials out of the URL into user; curl_user wins over them", () => {
    expect(readSettings({ ...config, curl_url: "https://bob:pa%40ss@ci.example.com/a%20b.tgz" })).toMatchObject({
      url: "https://ci.example.com/a%20b.tgz",
      user: "bob:pa@ss",
      output: "a b.tgz",
    });
    expect(readSettings({ ...config, curl_url: "https://bob:x@ci.example.com/a.tgz", curl_user: "ann:y" }).user).toBe("ann:y");
  });

  it("takes a single string as a list of one curl argument", () => {
    expect(readSettings({ ...config, curl_options: "--insecure" }).options).toEqual(["--insecure"]);
  });

  it.each([
    [{ curl_url: undefined }, "curl_url is not set"],
    [{ curl_url: "" }, "curl_url is not set"],
    [{ curl_url: "ci.example.com/app.tgz" }, "curl_url 'ci.example.com/app.tgz' is not a URL"],
    [{ curl_url: "-K/etc/passwd" }, "curl_url '-K/etc/passwd' is not a URL"],
    [{ curl_url: "https://ci.example.com/" }, "curl_url 'https://ci.example.com/' names no file, so curl_output is needed"],
    [{ curl_output: "../app.tgz" }, "curl_output '../app.tgz' must be a file path inside the release, not starting with '-'"],
    [{ curl_output: "-" }, "curl_output '-' must be a file path inside the release, not starting with '-'"],
    [{ curl_extract_tar: true }, "curl_extract_tar and curl_extract_tgz are both true"],
    [{ curl_max_time: -1 }, "config: 'curl_max_time' must be a number above 0, got number -1"],
    [{ curl_user: true }, "config: 'curl_user' must be a string, got boolean"],
    [{ curl_options: ["-u", "a:b"] }, "curl_options must not hold -u/--user: the password would be on the host's command line"],
    [{ curl_options: ["-fsSLua:b"] }, "curl_options must not hold -u/--user: the password would be on the host's command line"],
    [{ curl_options: ["--user", "a:b"] }, "curl_options must not hold -u/--user: the password would be on the host's command line"],
    [{ curl_options: ["-sv"], curl_user: "ann:s3cret" }, "curl_options '-sv' would print the Authorization header, which holds curl_user"],
    [{ curl_options: ["--trace-ascii", "-"], curl_user: "ann:s3cret" }, "curl_options '--trace-ascii' would print the Authorization header, which holds curl_user"],
    [{ curl_user: "no-colon-s3cret" }, "curl_user must be user:password on one line (its value is a secret and is not shown)"],
    [{ curl_user: "ann:s3cret\nurl = http://evil" }, "curl_user must be user:password on one line (its value is a secret and is not shown)"],
  ])("rejects %j", (values, message) => {
    const error = thrown(() => readSettings({ ...config, ...values }));
    expect(error).toMatchObject({ code: "E_CONFIG", message });
    expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain("s3cret");
  });

  it("lets -v through without a user: nothing secret to print", () => {
    expect(readSettings({ ...config, curl_options: ["-v"] }).options).toEqual(["-v"]);
  });

  it("never shows the credentials of a URL it refuses", () => {
    expect(() => readSettings({ ...config, curl_url: "https://bob:s3cret@exa mple.com/a.tgz" })).toThrow(
      "curl_url 'https://***@exa mple.com/a.tgz' is not a URL",
    );
  });
});

describe("parseArtifactUrl / withoutCredentials", () => {
  it.each([
    ["http://127.0.0.1:8080/app.tgz", { url: "http://127.0.0.1:8080/app.tgz", credentials: undefined, basename: "app.tgz" }],
    ["https://u:p@h/x/y.tar.gz#frag", { url: "https://h/x/y.tar.gz#frag", credentials: "u:p", basename: "y.tar.gz" }],
    ["https://u@h/a", { url: "https://h/a", credentials: "u:", basename: "a" }],
    ["ftp://h/pub/", { url: "ftp://h/pub/", credentials: undefined, basename: "" }],
  ])("%s", (raw, expected) => {
    expect(parseArtifactUrl(raw)).toEqual(expected);
  });

  it("masks the userinfo of any URL in a text", () => {
    expect(withoutCredentials("get https://bob:pw@h/a and ftp://x@y/z")).toBe("get https://***@h/a and ftp://***@y/z");
  });
});
