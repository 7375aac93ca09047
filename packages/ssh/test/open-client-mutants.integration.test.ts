import { describe, expect, it } from "vitest";
import { formatFapError } from "@fap/core";
import { useSshd } from "./_sshd.js";
import { rejection } from "../../../test/thrown.js";

// openClient's paths that only the survivors of its mutation runs showed untested.
const sshd = useSshd(1);

describe("openClient", () => {
  it("says there is no route to a host the network cannot reach", async () => {
    // A multicast address: Linux refuses a TCP connect to it at once (ENETUNREACH), and sends nothing.
    const error = await rejection(sshd.connector().connect({ host: "root@224.0.0.1:22" }));
    expect(formatFapError(error)).toBe("root@224.0.0.1:22: cannot connect to root@224.0.0.1:22: no route to host");
    expect(error.code).toBe("E_SSH_CONNECT");
    expect(error.hint).toBeUndefined();
    expect(error.cause).toMatchObject({ code: "ENETUNREACH" });
  });
});
