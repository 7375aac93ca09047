import { describe, expect, it } from "vitest";
import { raw, sh } from "../../src/shell/quote.js";

// Checks the mutation run (npm run test:mutation) found untested: raw text outside `sh`.

describe("raw", () => {
  it("is its text in a plain string too, as in sh", () => {
    const code = raw("echo $HOME && ls");
    expect(`${code}`).toBe("echo $HOME && ls");
    expect(String(code)).toBe(sh`${code}`);
  });
});
