import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FapError } from "../../src/errors.js";
import { checkSharedPaths } from "../../src/shell/release.js";
import { createFap } from "../../src/fap.js";
import { openSession } from "../../src/run/session.js";
import { createFixture, rejection } from "../_fixture.js";

// `.env` linked into shared/ while `environment` is set: writing the release's .env would go
// through the link and overwrite the shared file every other release reads.
describe("checkSharedPaths: .env in linked_files/linked_dirs and environment", () => {
  const refused = (values: Record<string, unknown>) => {
    try {
      checkSharedPaths(values);
    } catch (error) {
      expect(error).toBeInstanceOf(FapError);
      return error as FapError;
    }
    throw new Error("expected checkSharedPaths to refuse");
  };

  it.each([
    ["linked_files", { linked_files: [".env"], environment: { RAILS_ENV: "production" } }],
    ["linked_files as one string (Fapistrano's form)", { linked_files: ".env", environment: { A: "1" } }],
    ["linked_files with a trailing slash", { linked_files: ["config/app.yml", ".env/"], environment: { A: "1" } }],
    ["linked_dirs", { linked_dirs: [".env"], environment: { A: "1" } }],
  ])("refuses .env in %s while environment is set, saying how to fix it", (_where, values) => {
    const error = refused(values);
    expect(error.code).toBe("E_CONFIG");
    expect(error.message).toBe("'.env' is both in linked_files and written from environment");
    expect(error.hint).toBe("keep the .env in shared/ (linked_files) or set environment, not both");
  });

  it.each([
    ["no environment", { linked_files: [".env"] }],
    ["an empty environment", { linked_files: [".env"], environment: {} }],
    ["environment that is not a map", { linked_files: [".env"], environment: null }],
    ["another file named .env elsewhere", { linked_files: ["config/.env", ".env.local"], environment: { A: "1" } }],
    ["environment and other linked files", { linked_files: ["log/app.log"], linked_dirs: ["tmp"], environment: { A: "1" } }],
  ])("accepts %s", (_what, values) => {
    expect(() => checkSharedPaths(values)).not.toThrow();
  });

  it("stops a deploy before any host is locked or written to", async () => {
    const fx = createFixture();
    try {
      const config = fx.config({ linked_files: [".env"], environment: { A: "1" } });
      const error = await rejection(openSession("deploy", fx.options(createFap(), config)));
      expect(error.code).toBe("E_CONFIG");
      expect(error.message).toBe("'.env' is both in linked_files and written from environment");
      for (const host of ["a", "b"]) expect(existsSync(fx.root(host)), host).toBe(false);
    } finally {
      fx.cleanup();
    }
  });
});
