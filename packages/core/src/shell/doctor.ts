import type { HostPaths } from "../context.js";
import { parseHeldLock, readLockCommand, type HeldLock } from "../lock/lock-commands.js";
import { sh } from "./quote.js";

/** What `doctorCommand` finds on a host. */
export interface DoctorProbe {
  /** The remote user, as `id -un` says. */
  user: string | undefined;
  /** The deploy path, or its nearest ancestor that exists. */
  existing: string | undefined;
  isDirectory: boolean;
  writable: boolean;
  /** Free space of the file system holding `existing`, in KiB; undefined if df failed. */
  freeKiB: number | undefined;
  mount: string | undefined;
  lock: HeldLock | undefined;
  /** Each tool asked for, with its path on the host, or undefined when it is missing. */
  tools: Map<string, string | undefined>;
  /** What each plugin probe printed, in the order given; undefined when its output is missing. */
  probes: Array<ProbeOutput | undefined>;
}

export interface ProbeOutput {
  stdout: string;
  exitCode: number;
}

const MARK = "::fap-doctor::";

/**
 * One round trip that reads, without changing anything: the remote user, whether the deploy
 * path (or, before the first deploy, the directory it would be created in) is a writable
 * directory, free disk space there, the deploy lock, where each tool is, and each plugin
 * probe's output (each in a subshell, so its `exit` or `cd` ends only itself).
 */
export function doctorCommand(paths: Pick<HostPaths, "root" | "meta">, tools: readonly string[], probes: readonly string[] = []): string {
  const say = (key: string, value: string) => `printf '%s%s=%s\\n' ${MARK} ${key} ${value}`;
  return [
    say("user", `"$(id -un 2>/dev/null)"`),
    sh`d=${paths.root}; while [ ! -e "$d" ] && [ ! -L "$d" ]; do d=$(dirname "$d"); done`,
    say("existing", `"$d"`),
    `if [ -d "$d" ]; then ${say("dir", "1")}; else ${say("dir", "0")}; fi`,
    `if [ -w "$d" ]; then ${say("writable", "1")}; else ${say("writable", "0")}; fi`,
    `df -Pk "$d" 2>/dev/null | awk -v m=${MARK} 'NR==2 { print m "free=" $4; print m "mount=" $6 }'`,
    // The same read as every other command's, so doctor, status and deploy agree on the lock.
    `printf '%s\\n' ${MARK}lock-begin; ${readLockCommand(paths)}; printf '%s\\n' ${MARK}lock-end`,
    ...tools.map((tool) => say(`tool.${tool}`, sh`"$(command -v ${tool} 2>/dev/null)"`)),
    // The newline before the end mark ends an output without one; the parser's join takes it off again.
    ...probes.map((probe, i) => `printf '%s\n' ${MARK}probe-begin.${i}; ( ${probe}
) </dev/null 2>/dev/null; printf '\n%s%s\n' ${MARK}probe-end.${i}= "$?"`),
  ].join("\n");
}

export function parseDoctorOutput(stdout: string, tools: readonly string[], probeCount = 0): DoctorProbe {
  const values = new Map<string, string>();
  const lockLines: string[] = [];
  const probes: Array<ProbeOutput | undefined> = Array.from({ length: probeCount }, () => undefined);
  let inLock = false;
  // The probe whose output the lines are, and its lines so far.
  let probe: { index: number; lines: string[] } | undefined;
  for (const line of stdout.split("\n")) {
    if (probe) {
      const end = `${MARK}probe-end.${probe.index}=`;
      if (line.startsWith(end)) {
        probes[probe.index] = { stdout: probe.lines.join("\n"), exitCode: Number(line.slice(end.length)) };
        probe = undefined;
      } else probe.lines.push(line);
      continue;
    }
    const begin = /^::fap-doctor::probe-begin\.(\d+)$/.exec(line);
    if (begin && Number(begin[1]) < probeCount) {
      probe = { index: Number(begin[1]), lines: [] };
      continue;
    }
    if (line === `${MARK}lock-begin` || line === `${MARK}lock-end`) inLock = line.endsWith("begin");
    else if (inLock) lockLines.push(line);
    if (inLock || !line.startsWith(MARK)) continue;
    const rest = line.slice(MARK.length);
    const eq = rest.indexOf("=");
    if (eq > 0) values.set(rest.slice(0, eq), rest.slice(eq + 1));
  }
  const text = (key: string) => (values.get(key) ? values.get(key) : undefined);
  const free = Number(values.get("free"));
  return {
    user: text("user"),
    existing: text("existing"),
    isDirectory: values.get("dir") === "1",
    writable: values.get("writable") === "1",
    freeKiB: values.has("free") && Number.isFinite(free) ? free : undefined,
    mount: text("mount"),
    lock: parseHeldLock(lockLines.join("\n")),
    tools: new Map(tools.map((tool) => [tool, text(`tool.${tool}`)])),
    probes,
  };
}
