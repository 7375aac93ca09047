import { describe, expect, it } from "vitest";
import { OutputTail } from "../src/output-tail.js";

const held = (tail: OutputTail) => (tail as unknown as { chunks: Buffer[] }).chunks.length;

/** A tail of `limit` bytes that was given `chunks`, one push each. */
function tailOf(limit: number, ...chunks: Array<string | number[]>): OutputTail {
  const tail = new OutputTail(limit);
  for (const chunk of chunks) tail.push(Buffer.from(chunk as string));
  return tail;
}

// Checks the mutation run (npm run test:mutation) found untested: what is held, not only what is shown.
describe("OutputTail memory", () => {
  it("holds nothing with a limit of 0", () => {
    const tail = tailOf(0, "abc", "def");
    expect(held(tail)).toBe(0);
    expect(tail.text()).toBe("");
    expect(tail.dropped).toBe(6);
  });

  it("drops a chunk once the rest covers the limit exactly", () => {
    const tail = tailOf(4, "ab", "cdef");
    expect(held(tail)).toBe(1);
    expect(tail.text()).toBe("cdef");
  });

  it("keeps a stream that itself starts inside a character as it came", () => {
    const tail = tailOf(10, [0x80, 0x41]);
    expect(tail.text()).toBe("\ufffdA");
  });
});
