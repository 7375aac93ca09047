import { describe, expect, it } from "vitest";
import { healthcheckCommand, parseResult } from "../src/index.js";

describe("healthcheckCommand", () => {
  it("sends one loop that curls until the status comes or time runs out", () => {
    expect(healthcheckCommand({ url: "http://127.0.0.1:8000/health", timeout: 30, interval: 1, status: 200 }, "240501-120000")).toBe(
      [
        "command -v curl >/dev/null || { echo 'curl is not installed on this host' >&2; exit 127; }",
        "deadline=$(( $(date +%s) + 30 )); tries=0",
        "while :; do",
        "  tries=$((tries + 1))",
        "  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'X-Fap-Release: 240501-120000' -- http://127.0.0.1:8000/health)",
        '  if [ "$code" = 200 ]; then echo "$code $tries"; exit 0; fi',
        '  if [ "$(date +%s)" -ge "$deadline" ]; then echo "$code $tries"; exit 3; fi',
        "  sleep 1",
        "done",
      ].join("\n"),
    );
  });

  it("quotes the URL, so a URL is never shell code", () => {
    const command = healthcheckCommand({ url: "http://x/$(touch /tmp/owned)?a=1&b=2", timeout: 0.5, interval: 0.2, status: 204 }, "r");
    expect(command).toContain("-- 'http://x/$(touch /tmp/owned)?a=1&b=2')");
    expect(command).toContain("--max-time 1 ");
    expect(command).toContain("+ 1 )); tries=0");
    expect(command).toContain('[ "$code" = 204 ]');
    expect(command).toContain("sleep 0.2");
  });
});

describe("parseResult", () => {
  it.each([
    ["200 1\n", { status: "200", tries: 1 }],
    ["000 12", { status: "000", tries: 12 }],
    ["", undefined],
    ["curl: (7) Failed to connect", undefined],
  ])("%j", (stdout, expected) => {
    expect(parseResult(stdout)).toEqual(expected);
  });
});
