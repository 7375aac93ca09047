import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { environmentFile, writeEnvironmentCommand } from "../../src/shell/environment.js";
import { lastNonEmptyLine } from "../../src/shell/last-line.js";
import { thrown } from "../../../../test/thrown.js";

// Checks the mutation run (npm run test:mutation) found untested: the `.env` file and the
// last line of an error were tested only through other packages' tests, which run the built dist.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fap environment "));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("environmentFile", () => {
  it("writes one NAME=value line each, quoted for sh, with null and undefined empty", () => {
    expect(environmentFile({ A: "plain", _b2: "it's $HOME", PORT: 8080, DEBUG: false, NONE: null, UNSET: undefined })).toBe(
      "A=plain\n_b2='it'\\''s $HOME'\nPORT=8080\nDEBUG=false\nNONE=''\nUNSET=''\n",
    );
    expect(environmentFile({})).toBe("");
  });

  it("is read back by sh as the same values", () => {
    const text = environmentFile({ A: "two words", B: "a\nb", C: "`x` $(y)" });
    const shown = spawnSync("sh", ["-c", `${text}printf '%s|' "$A" "$B" "$C"`], { encoding: "utf8" });
    expect(shown.stdout).toBe("two words|a\nb|`x` $(y)|");
  });

  it("refuses a name that is not a variable's, naming it", () => {
    for (const name of ["1A", "A-B", "A B", "", "AB ", " AB", "Aé"]) {
      const error = thrown(() => environmentFile({ OK: "1", [name]: "x" }));
      expect(error).toMatchObject({ code: "E_CONFIG", message: `environment: '${name}' is not a variable name`, hint: "use letters, digits and _, not starting with a digit" });
    }
  });
});

describe("writeEnvironmentCommand", () => {
  it("writes stdin to the release's .env, readable by its owner only", () => {
    const result = spawnSync("sh", ["-c", writeEnvironmentCommand(dir)], { input: "A=1\n", encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe("A=1\n");
    expect(statSync(join(dir, ".env")).mode & 0o777).toBe(0o600);
  });
});

describe("lastNonEmptyLine", () => {
  it("is the last line that is not blank, trimmed", () => {
    expect(lastNonEmptyLine("first\n  the error  \n \n\n")).toBe("the error");
    expect(lastNonEmptyLine("only")).toBe("only");
    expect(lastNonEmptyLine(" \n\n")).toBeUndefined();
  });
});
