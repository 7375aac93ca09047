import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Connection } from "../src/connection.js";
import { shellOnConnection } from "../src/shell.js";
import { useRawClients } from "./_raw-client.js";
import { useSshd } from "./_sshd.js";

// shell.ts's paths that only the survivors of its mutation runs showed untested, against a real sshd.
const sshd = useSshd(1);
const raw = useRawClients(() => sshd.t);

describe("shell", () => {
  it("fails with sshd's reason when it refuses the session, and gives the channel back", async () => {
    const connection = await raw.full();
    const shell = shellOnConnection(connection, { stdin: new PassThrough(), stdout: new PassThrough(), command: "echo refused" });
    await expect(shell).rejects.toThrow(/^\(SSH\) Channel open failure: open failed$/);
    expect(connection.channels.size.active).toBe(0);
  });

  it("leaves the terminal's output open after the session: its caller writes on", async () => {
    const connection = new Connection(await raw.connect(), 8, () => {});
    const stdout = new PassThrough();
    let output = "";
    stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    expect(await shellOnConnection(connection, { stdin: new PassThrough(), stdout, command: "echo out; echo err >&2" })).toBe(0);
    expect(stdout.writableEnded).toBe(false);
    stdout.write("after\n");
    await new Promise((resolve) => setImmediate(resolve));
    expect(output.split("\n").sort()).toEqual(["", "after", "err", "out"]);
  });
});
