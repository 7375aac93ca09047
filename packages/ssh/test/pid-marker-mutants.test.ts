import { describe, expect, it } from "vitest";
import { PidReportFilter, killGroupCommand, withPidReport } from "../src/pid-marker.js";

// Read inside each test: a module-level failure would not count as a failing test.
const reportToken = () => /^printf '(fap-pid-[0-9a-f]{12}:)%s\\n' "\$\$" >&2\n/.exec(withPidReport("true"))?.[1];

function recorder(): { filter: PidReportFilter; seen: string[] } {
  const seen: string[] = [];
  return { filter: new PidReportFilter((chunk) => seen.push(chunk.toString("latin1"))), seen };
}

// Checks the mutation run (npm run test:mutation) found untested: when stderr is passed on, not
// only what is passed on in the end.
describe("pid report line", () => {
  it("is a random token and the shell's pid, before the command", () => {
    const token = reportToken();
    expect(token).toBeDefined();
    expect(withPidReport("echo hi")).toBe(`printf '${token}%s\\n' "$$" >&2\necho hi`);
  });

  it("kills as the run-as user too, quoted", () => {
    const kill = "kill -s KILL -- -12 2>/dev/null || kill -s KILL 12 2>/dev/null";
    expect(killGroupCommand(12)).toBe(`${kill}; true`);
    expect(killGroupCommand(12, "app user")).toBe(`${kill}; sudo -n -u 'app user' -- sh -c '${kill}' 2>/dev/null; true`);
  });
});

describe("PidReportFilter timing", () => {
  it("passes whole lines on at once while it waits, and holds the partial one", () => {
    const { filter, seen } = recorder();
    filter.push(Buffer.from("motd line\npart"));
    expect(seen).toEqual(["motd line\n"]);
    filter.push(Buffer.from("ial"));
    expect(seen).toEqual(["motd line\n"]);
    expect(filter.pid).toBeUndefined();
  });

  it("passes what follows the report straight on", async () => {
    const token = reportToken()!;
    const { filter, seen } = recorder();
    filter.push(Buffer.from(`${token}99\n`));
    expect(seen).toEqual([]);
    expect(await filter.reported).toBe(99);
    filter.push(Buffer.from(`looks like ${token}1\n`));
    filter.push(Buffer.from("no newline"));
    expect(seen).toEqual([`looks like ${token}1\n`, "no newline"]);
    filter.flush();
    expect(filter.pid).toBe(99);
  });

  it("passes the text around the report as two chunks", () => {
    const token = reportToken()!;
    const { filter, seen } = recorder();
    filter.push(Buffer.from(`before ${token}5\nafter`));
    expect(seen).toEqual(["before ", "after"]);
    expect(filter.pid).toBe(5);
  });

  it("waits for the report's newline", () => {
    const token = reportToken()!;
    const { filter, seen } = recorder();
    filter.push(Buffer.from(`${token}12`));
    expect(filter.pid).toBeUndefined();
    filter.push(Buffer.from("3\n"));
    expect(filter.pid).toBe(123);
    expect(seen).toEqual([]);
  });

  it("gives up after 64 KiB without the report and passes everything on from then", async () => {
    const { filter, seen } = recorder();
    const limit = "x".repeat(64 * 1024);
    filter.push(Buffer.from(limit));
    expect(seen).toEqual([]);
    filter.push(Buffer.from("y"));
    expect(seen).toEqual([`${limit}y`]);
    expect(await filter.reported).toBeUndefined();
    filter.push(Buffer.from(`${reportToken()!}7\n`));
    expect(filter.pid).toBeUndefined();
    expect(seen).toHaveLength(2);
  });

  it("passes nothing on for nothing", () => {
    const { filter, seen } = recorder();
    filter.push(Buffer.from(""));
    filter.flush();
    expect(seen).toEqual([]);
  });
});
