import { describe, expect, it } from "vitest";
import { displayUrl, healthcheck, readSettings } from "../src/index.js";

const defaults = { healthcheck_retries: 5, healthcheck_interval: 2, healthcheck_timeout: 5, healthcheck_expect_status: 200 };

describe("settings", () => {
  it("needs a URL or a command", () => {
    expect(() => readSettings(defaults)).toThrow("neither healthcheck_url nor healthcheck_command is set");
    expect(readSettings({ ...defaults, healthcheck_command: "bin/check" })).toMatchObject({ url: undefined, command: "bin/check" });
  });

  it("refuses what is not an http(s) URL, without showing its password", () => {
    expect(() => readSettings({ ...defaults, healthcheck_url: "ftp://u:hunter22@x/up" })).toThrow("healthcheck_url 'ftp://u:***@x/up' is not an http:// or https:// URL");
    expect(() => readSettings({ ...defaults, healthcheck_url: "127.0.0.1:8000/up" })).toThrow(/is not an http/);
    expect(readSettings({ ...defaults, healthcheck_url: "http://127.0.0.1:8000/up?full=1" }).url).toBe("http://127.0.0.1:8000/up?full=1");
  });

  it("shows a URL's password as ***", () => {
    expect(displayUrl("https://deploy:s3cr%40t@127.0.0.1:8443/up")).toBe("https://deploy:***@127.0.0.1:8443/up");
    expect(displayUrl("http://127.0.0.1:8000/up")).toBe("http://127.0.0.1:8000/up");
  });

  it("checks its options as the keys' defaults", () => {
    expect(() => healthcheck({ expectStatus: 99 })).toThrow("[fap:healthcheck] options: 'expectStatus' must be an HTTP status (100-599), got number 99");
    expect(healthcheck({ url: "http://127.0.0.1:8000/up" }).requires).toEqual(["curl|wget"]);
  });
});
