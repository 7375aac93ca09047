import { describe, expect, it } from "vitest";
import { downloadError, postinstallError } from "../src/failure.js";
import { readSettings } from "../src/settings.js";

// A host's settings as curl's defaults and these keys make them (output app.tgz, 600 s a try).
const settings = readSettings({
  curl_url: "http://127.0.0.1:8080/app.tgz",
  curl_user: "deploy:s3cr3t-pa55",
  curl_extract_tgz: true,
  curl_postinstall_script: "./install.sh",
});
const failed = (stderr: string, exitCode = 22) => ({ stdout: "", stderr, exitCode });

describe("downloadError", () => {
  it.each([
    ["curl: (22) The requested URL returned error: 404\n", "cannot download http://127.0.0.1:8080/app.tgz: HTTP 404", "nothing is at that URL: check curl_url (--curl-url=...)"],
    ["curl: (22) The requested URL returned error: 401\n", "cannot download http://127.0.0.1:8080/app.tgz: HTTP 401", "the server refused curl_user"],
    ["curl: (22) The requested URL returned error: 503\n", "cannot download http://127.0.0.1:8080/app.tgz: HTTP 503", "the server failed; curl tried 4 times"],
    [
      "curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n",
      "cannot download http://127.0.0.1:8080/app.tgz: curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server",
      "curl tried 4 times, 600 s each (curl_max_time); check that this host reaches the server",
    ],
    [
      "\ngzip: stdin: not in gzip format\ntar: Child returned status 1\ntar: Error is not recoverable: exiting now\n",
      "cannot extract app.tgz from http://127.0.0.1:8080/app.tgz: tar: Child returned status 1",
      "curl_extract_tgz is set: is the artifact a gzipped tar (.tgz, .tar.gz)?",
    ],
  ])("%j", (stderr, message, hint) => {
    const error = downloadError(failed(stderr), settings, "web1");
    expect(error).toMatchObject({ code: "E_COMMAND_FAILED", message, hint, host: "web1" });
  });

  it("says when curl is missing", () => {
    expect(downloadError(failed("sh: 1: curl: not found\n", 127), settings, "web1").message).toBe("curl is not installed on this host");
  });

  it("masks curl_user, its password and its base64 wherever they show up", () => {
    const basic = Buffer.from(settings.user!).toString("base64");
    const error = downloadError(failed(`> Authorization: Basic ${basic}\nsaw deploy:s3cr3t-pa55 and s3cr3t-pa55\n`, 3), settings, "web1");
    expect(error.message).toBe("downloading http://127.0.0.1:8080/app.tgz failed with exit code 3: saw *** and ***");
    expect(JSON.stringify(error.details)).not.toMatch(/s3cr3t|ZGVwbG95/);
  });
});

describe("postinstallError", () => {
  it("names the script, its exit code and its last line", () => {
    expect(postinstallError(failed("working\nmissing libfoo\n", 3), settings, "web1").message).toBe(
      "curl_postinstall_script './install.sh' exited with 3: missing libfoo",
    );
  });
});
