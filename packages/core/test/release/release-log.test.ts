import { describe, expect, it } from "vitest";
import { formatLogLine, parseReleaseLog, type ReleaseLogEntry } from "../../src/release/release-log.js";

const entry = (id: string, status: ReleaseLogEntry["status"], extra: Record<string, string> = {}): ReleaseLogEntry => ({
  id,
  status,
  time: "2024-01-02T03:04:05.000Z",
  user: "deploy",
  deploy: "abcd1234",
  ...extra,
});

describe("formatLogLine", () => {
  it("writes one JSON line without a newline", () => {
    const line = formatLogLine(entry("240102-030405", "pending", { revision: "abc123" }));
    expect(line).toBe(
      '{"id":"240102-030405","status":"pending","time":"2024-01-02T03:04:05.000Z","user":"deploy","deploy":"abcd1234","revision":"abc123"}',
    );
    expect(line).not.toContain("\n");
  });
});

describe("parseReleaseLog", () => {
  it("keeps the last status of each id", () => {
    const log = [
      entry("1", "pending"),
      entry("2", "pending"),
      entry("1", "ok"),
      entry("2", "failed"),
      entry("1", "rolled-back"),
    ].map(formatLogLine).join("\n");
    const byId = parseReleaseLog(log + "\n");
    expect([...byId].map(([id, e]) => [id, e.status])).toEqual([
      ["1", "rolled-back"],
      ["2", "failed"],
    ]);
  });

  it("keeps fields of earlier lines that a later line does not repeat", () => {
    const log = [entry("1", "pending", { revision: "abc" }), { ...entry("1", "ok"), time: "later" }].map(formatLogLine).join("\n");
    expect(parseReleaseLog(log).get("1")).toMatchObject({ status: "ok", revision: "abc", time: "later" });
  });

  it("skips a line torn by a crash, and lines that are not ours", () => {
    const torn = formatLogLine(entry("2", "ok")).slice(0, 25);
    const log = [formatLogLine(entry("1", "ok")), torn, "", "   ", "not json", "[1,2]", '{"id":3,"status":"ok"}', '{"id":"4"}'].join("\n");
    const byId = parseReleaseLog(log);
    expect([...byId.keys()]).toEqual(["1"]);
    expect(byId.get("1")?.status).toBe("ok");
  });

  it("reads a torn last line (no newline) as nothing", () => {
    const log = formatLogLine(entry("1", "pending")) + "\n" + formatLogLine(entry("1", "ok")).slice(0, -3);
    expect(parseReleaseLog(log).get("1")?.status).toBe("pending");
  });

  it("reads an empty log", () => {
    expect(parseReleaseLog("").size).toBe(0);
  });
});
