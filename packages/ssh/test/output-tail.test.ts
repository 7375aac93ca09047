import { describe, expect, it } from "vitest";
import { OutputTail } from "../src/output-tail.js";

describe("OutputTail", () => {
  it("keeps everything under the limit", () => {
    const tail = new OutputTail(10);
    tail.push(Buffer.from("abc"));
    tail.push(Buffer.from("def"));
    expect(tail.text()).toBe("abcdef");
    expect(tail.dropped).toBe(0);
    expect(tail.total).toBe(6);
  });

  it("keeps the last bytes and counts the rest", () => {
    const tail = new OutputTail(4);
    for (const part of ["line 1\n", "line 2\n", "end\n"]) tail.push(Buffer.from(part));
    expect(tail.text()).toBe("end\n");
    expect(tail.total).toBe(18);
    expect(tail.dropped).toBe(14);
  });

  it("holds at most the limit plus one chunk, however much is pushed", () => {
    const tail = new OutputTail(64 * 1024);
    const chunk = Buffer.alloc(32 * 1024, "y");
    for (let i = 0; i < 10_000; i++) tail.push(chunk); // 320 MB
    const held = (tail as unknown as { chunks: Buffer[] }).chunks.reduce((n, c) => n + c.length, 0);
    expect(held).toBeLessThanOrEqual(96 * 1024);
    expect(tail.text()).toHaveLength(64 * 1024);
    expect(tail.total).toBe(10_000 * 32 * 1024);
  });

  it("starts the tail at a whole UTF-8 character", () => {
    const tail = new OutputTail(3);
    tail.push(Buffer.from("aé€")); // 1 + 2 + 3 bytes: the last 3 are exactly €
    expect(tail.text()).toBe("€");
    const cut = new OutputTail(4);
    cut.push(Buffer.from("aé€")); // the last 4 start inside é
    expect(cut.text()).toBe("€");
  });
});
