import { describe, expect, it } from "vitest";
import { OutputTail } from "../src/output-tail.js";

const held = (tail: OutputTail) => (tail as unknown as { chunks: Buffer[] }).chunks.length;

// Checks the mutation run (npm run test:mutation) found untested: what is held, not only what is shown.
describe("OutputTail memory", () => {
  it("holds nothing with a limit of 0", () => {
    const tail = new OutputTail(0);
    tail.push(Buffer.from("abc"));
    tail.push(Buffer.from("def"));
    expect(held(tail)).toBe(0);
    expect(tail.text()).toBe("");
    expect(tail.dropped).toBe(6);
  });

  it("drops a chunk once the rest covers the limit exactly", () => {
    const tail = new OutputTail(4);
    tail.push(Buffer.from("ab"));
    tail.push(Buffer.from("cdef"));
    expect(held(tail)).toBe(1);
    expect(tail.text()).toBe("cdef");
  });

  it("keeps a stream that itself starts inside a character as it came", () => {
    const tail = new OutputTail(10);
    tail.push(Buffer.from([0x80, 0x41]));
    expect(tail.text()).toBe("\ufffdA");
  });
});
