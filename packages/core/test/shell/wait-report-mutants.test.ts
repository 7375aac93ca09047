import { describe, expect, it } from "vitest";
import { lastLogLine } from "../../src/shell/wait-report.js";

// Checks the mutation run (npm run test:mutation) found untested: an error message with "at" in it.

describe("lastLogLine", () => {
  it("keeps a message that says 'at', and drops only lines that start with a frame's 'at'", () => {
    expect(lastLogLine([{ name: "err", lines: ["Error: listen EADDRINUSE at 0.0.0.0:3000", "    at Server.listen (net.js:1:1)", "attach: done"] }])).toBe("attach: done");
    expect(lastLogLine([{ name: "err", lines: ["Error: listen EADDRINUSE at 0.0.0.0:3000", "\tat Server.listen (net.js:1:1)"] }])).toBe("Error: listen EADDRINUSE at 0.0.0.0:3000");
  });
});
