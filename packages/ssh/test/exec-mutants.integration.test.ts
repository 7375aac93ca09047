import { describe, expect, it } from "vitest";
import { formatFapError } from "@fap/core";
import { Connection } from "../src/connection.js";
import { execOnConnection } from "../src/exec.js";
import { useRawClients } from "./_raw-client.js";
import { useSshd } from "./_sshd.js";
import { rejection } from "../../../test/thrown.js";

// exec.ts's paths that only the survivors of its mutation runs showed untested, against a real sshd.
const sshd = useSshd(1);
const raw = useRawClients(() => sshd.t);

describe("exec", () => {
  it("fails at once with sshd's reason when it refuses the first channel: no MaxSessions limit is learnt from that", async () => {
    // Every session the test hosts' sshd allows is taken, none of them by fap's queue.
    const connection = await raw.full();
    // Retried as a MaxSessions refusal, it would run once a sleep ends instead.
    const error = await rejection(execOnConnection(connection, "host1", "echo refused"));
    expect(error.code).toBe("E_SSH_CONNECT");
    expect(formatFapError(error)).toBe("host1: cannot open a channel for `echo refused`: (SSH) Channel open failure: open failed");
    expect(error.details).toEqual({ command: "echo refused" });
    expect((error.cause as Error).message).toBe("(SSH) Channel open failure: open failed");
  });

  it("takes a JavaScript plugin's stdin: null for no input", async () => {
    const connection = new Connection(await raw.connect(), 8, () => {});
    // null is no stream: the command's stdin is ended, as without one, so `cat` sees its end at once.
    const result = await execOnConnection(connection, "host1", "cat; echo eof", { stdin: null as unknown as string, timeoutMs: 5000 });
    expect(result).toMatchObject({ stdout: "eof\n", exitCode: 0 });
  });
});
