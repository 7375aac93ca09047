import { open } from "node:fs/promises";

const TAIL_BYTES = 4096;

/** The last few KB written to `path` after byte `from`: enough to show why sshd failed, never a flood. */
export async function readLogTail(path: string, from: number): Promise<string> {
  try {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      const start = Math.max(from, size - TAIL_BYTES);
      const buffer = Buffer.alloc(size - start);
      await file.read(buffer, 0, buffer.length, start);
      return buffer.toString().trim();
    } finally {
      await file.close();
    }
  } catch {
    return "";
  }
}
