import { describe, expect, it } from "vitest";
import { checkEngines } from "../src/engines.js";
import { choosePackageManager } from "../src/package-manager.js";
import { parseProbe, type ReleaseProbe } from "../src/probe-command.js";

function probe(lockfiles: ReleaseProbe["lockfiles"], available = ["npm"]): ReleaseProbe {
  return { nodeVersion: "v20.11.1", lockfiles, available: new Set(available), packageJson: {}, packageJsonError: undefined };
}

describe("choosePackageManager", () => {
  it("goes by the lockfile", () => {
    expect(choosePackageManager("h", "auto", probe(["package-lock.json"]))).toBe("npm");
    expect(choosePackageManager("h", "auto", probe(["yarn.lock"], ["npm", "yarn"]))).toBe("yarn");
  });
  it("refuses no lockfile, two package managers' lockfiles, and a package manager the host lacks", () => {
    expect(() => choosePackageManager("h", "auto", probe([]))).toThrow("the release has no lockfile");
    expect(() => choosePackageManager("h", "auto", probe(["package-lock.json", "yarn.lock"]))).toThrow("the release has lockfiles of npm and yarn");
    expect(() => choosePackageManager("h", "auto", probe(["pnpm-lock.yaml"]))).toThrow("pnpm-lock.yaml asks for pnpm, which is not on the host's PATH");
  });
});

describe("checkEngines", () => {
  it("names both versions", () => {
    expect(() => checkEngines("h", { engines: { node: ">=22" } }, "v20.11.1")).toThrow("the host's node v20.11.1 does not satisfy the app's engines.node >=22");
    expect(() => checkEngines("h", { engines: { node: ">=20" } }, "v20.11.1")).not.toThrow();
    expect(() => checkEngines("h", {}, undefined)).not.toThrow();
    expect(() => checkEngines("h", { engines: { node: "twenty" } }, "v20.11.1")).toThrow('engines.node "twenty" is not a semver range');
  });
});

describe("parseProbe", () => {
  it("reads node's version, the lockfiles, the package managers and package.json", () => {
    const parsed = parseProbe("::fap-node::node v20.1.0\n::fap-node::lock yarn.lock\n::fap-node::has npm\n::fap-node::package\n{\"engines\":{\"node\":\">=20\"}}\n");
    expect(parsed).toEqual({ nodeVersion: "v20.1.0", lockfiles: ["yarn.lock"], available: new Set(["npm"]), packageJson: { engines: { node: ">=20" } }, packageJsonError: undefined });
  });
});
