import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { doctorCommand, parseDoctorOutput } from "../../src/shell/doctor.js";

// Checks the mutation run (npm run test:mutation) found untested: the exact script (what each
// finding prints when it is false), and lines of the output that only look like doctor's own.

describe("doctorCommand", () => {
  it("is one line per finding, each quoted, and no probe when none is asked", () => {
    expect(doctorCommand({ root: "/srv/my app", meta: "/srv/my app/.fap" }, ["git"]).split("\n")).toEqual([
      `printf '%s%s=%s\\n' ::fap-doctor:: user "$(id -un 2>/dev/null)"`,
      `d='/srv/my app'; while [ ! -e "$d" ] && [ ! -L "$d" ]; do d=$(dirname "$d"); done`,
      `printf '%s%s=%s\\n' ::fap-doctor:: existing "$d"`,
      `if [ -d "$d" ]; then printf '%s%s=%s\\n' ::fap-doctor:: dir 1; else printf '%s%s=%s\\n' ::fap-doctor:: dir 0; fi`,
      `if [ -w "$d" ]; then printf '%s%s=%s\\n' ::fap-doctor:: writable 1; else printf '%s%s=%s\\n' ::fap-doctor:: writable 0; fi`,
      `df -Pk "$d" 2>/dev/null | awk -v m=::fap-doctor:: 'NR==2 { print m "free=" $4; print m "mount=" $6 }'`,
      `printf '%s\\n' ::fap-doctor::lock-begin; if { test -e '/srv/my app/.fap/lock' || test -L '/srv/my app/.fap/lock'; }; then printf '%s\\n' held; cat '/srv/my app/.fap/lock/info' 2>/dev/null; fi; true; printf '%s\\n' ::fap-doctor::lock-end`,
      `printf '%s%s=%s\\n' ::fap-doctor:: tool.git "$(command -v git 2>/dev/null)"`,
    ]);
  });

  it("keeps the output of the eleventh probe and after apart", () => {
    const probes = Array.from({ length: 12 }, (_, i) => `echo probe ${i}`);
    const out = execFileSync("sh", ["-c", doctorCommand({ root: "/nonexistent/app", meta: "/nonexistent/app/.fap" }, [], probes)], { encoding: "utf8" });
    expect(parseDoctorOutput(out, [], probes.length).probes).toEqual(probes.map((_, i) => ({ stdout: `probe ${i}\n`, exitCode: 0 })));
  });
});

describe("parseDoctorOutput", () => {
  it("takes only whole lines of its mark for a probe's start, and none past the probes asked", () => {
    const out = [
      "motd ::fap-doctor::probe-begin.0",
      "::fap-doctor::probe-begin.0 and more",
      "::fap-doctor::probe-begin.1",
      "not a probe's",
      "::fap-doctor::probe-end.1=0",
      "::fap-doctor::user=deploy",
    ].join("\n");
    const found = parseDoctorOutput(out, [], 1);
    expect(found.probes).toEqual([undefined]);
    expect(found.user).toBe("deploy");
  });

  it("sets nothing from a line of its mark without a value, and no free space from a df that printed none", () => {
    const found = parseDoctorOutput("::fap-doctor::user=deploy\n::fap-doctor::userX\n::fap-doctor::free=-\n", []);
    expect(found.user).toBe("deploy");
    expect(found.freeKiB).toBeUndefined();
    expect(parseDoctorOutput("::fap-doctor::user=deploy\n", []).freeKiB).toBeUndefined();
  });
});
