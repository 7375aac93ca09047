import { describe, expect, it } from "vitest";
import { formatStatus, parseProgramOutput, parseStatus } from "../src/output.js";

describe("parseStatus", () => {
  it.each([
    ["app                              RUNNING   pid 22709, uptime 0:00:01", [{ name: "app", state: "RUNNING", description: "pid 22709, uptime 0:00:01" }]],
    ["app                              STARTING  ", [{ name: "app", state: "STARTING", description: "" }]],
    [
      "crash                            FATAL     Exited too quickly (process log may have details)",
      [{ name: "crash", state: "FATAL", description: "Exited too quickly (process log may have details)" }],
    ],
    [
      "web:web_00                       RUNNING   pid 1, uptime 0:10:00\nweb:web_01                       BACKOFF   Exited too quickly (process log may have details)\n",
      [
        { name: "web:web_00", state: "RUNNING", description: "pid 1, uptime 0:10:00" },
        { name: "web:web_01", state: "BACKOFF", description: "Exited too quickly (process log may have details)" },
      ],
    ],
    ["app: ERROR (no such process)", [{ name: "app", state: "ERROR", description: "(no such process)" }]],
    ["unix:///srv/supervisor/supervisor.sock no such file", []],
    ["", []],
  ])("%j", (text, expected) => {
    expect(parseStatus(text)).toEqual(expected);
  });
});

describe("formatStatus", () => {
  it("drops the padding", () => {
    expect(formatStatus({ name: "app", state: "RUNNING", description: "pid 1, uptime 0:00:02" })).toBe("app RUNNING pid 1, uptime 0:00:02");
    expect(formatStatus({ name: "app", state: "STARTING", description: "" })).toBe("app STARTING");
  });
});

describe("parseProgramOutput", () => {
  it("splits supervisorctl's lines, the status and the logs", () => {
    const stdout = [
      "app: stopped",
      "app: ERROR (spawn error)",
      "::fap-supervisorctl::status",
      "app                              FATAL     Exited too quickly (process log may have details)",
      "::fap-supervisorctl::log app",
      "Traceback (most recent call last):",
      '  File "app.py", line 3, in <module>',
      "RuntimeError: boom",
      "",
    ].join("\n");
    expect(parseProgramOutput(stdout)).toEqual({
      lines: ["app: stopped", "app: ERROR (spawn error)"],
      status: [{ name: "app", state: "FATAL", description: "Exited too quickly (process log may have details)" }],
      logs: [{ name: "app", lines: ["Traceback (most recent call last):", '  File "app.py", line 3, in <module>', "RuntimeError: boom"] }],
    });
  });

  it("has no status when the command printed none", () => {
    expect(parseProgramOutput("app: stopped\napp: started\n")).toEqual({ lines: ["app: stopped", "app: started"], status: undefined, logs: [] });
  });
});
