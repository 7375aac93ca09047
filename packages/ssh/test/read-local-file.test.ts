import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLocalFile } from "../src/read-local-file.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "fap-read-local-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("readLocalFile", () => {
  it("reads a regular file as bytes or as text", async () => {
    const file = path.join(dir, "config");
    writeFileSync(file, "Host web\n  Port 2222\n");
    expect(await readLocalFile(file, "utf8")).toBe("Host web\n  Port 2222\n");
    expect((await readLocalFile(file)).equals(Buffer.from("Host web\n  Port 2222\n"))).toBe(true);
  });

  it("fails as readFile does, with its code: a missing file, a folder", async () => {
    await expect(readLocalFile(path.join(dir, "missing"))).rejects.toMatchObject({ code: "ENOENT" });
    await expect(readLocalFile(dir, "utf8")).rejects.toMatchObject({ code: "EISDIR" });
  });

  it("does not hold the process on a FIFO: it is read as its writer writes", async () => {
    const fifo = path.join(dir, "key");
    execFileSync("mkfifo", [fifo]);
    let settled = false;
    const reading = readLocalFile(fifo, "utf8").finally(() => (settled = true));
    // Read synchronously, opening the FIFO would block until a writer came: this line would never run.
    expect(settled).toBe(false);
    const writer = await open(fifo, "w");
    await writer.write("written later\n");
    await writer.close();
    expect(await reading).toBe("written later\n");
  });
});
