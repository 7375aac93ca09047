import { readFileSync } from "node:fs";
import { keyTable } from "@fap/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTestHostSupport, deployWith, readDeployState, readHostFile, startTestHosts, type TestHosts } from "@fap/testing";
import __FACTORY__, { KEYS } from "../src/index.js";

// Real OpenSSH servers on 127.0.0.1 need Linux, root and openssh-server; say why when they cannot start.
const unsupported = await checkTestHostSupport().then(() => "", (error: Error) => error.message);

describe.skipIf(unsupported)("__PACKAGE_NAME__", () => {
  let testHosts: TestHosts;
  beforeAll(async () => {
    testHosts = await startTestHosts({ count: 2 });
  });
  afterAll(() => testHosts?.stop());

  it("writes __FILE_NAME__ into the new release on every host", async () => {
    const run = await deployWith(testHosts, { plugins: [__FACTORY__({ message: "deployed" })] });
    for (const host of testHosts.hosts) {
      expect(await readHostFile(host, "/srv/www/app/current/__FILE_NAME__")).toBe("deployed\n");
      const { current, releases } = await readDeployState(host, "/srv/www/app");
      expect(current).toBe(releases.at(-1));
    }
    expect(run.output).toContain("host1 wrote __FILE_NAME__");
  });

  it("lets the config and the command line override the option", async () => {
    await deployWith(testHosts, {
      plugins: [__FACTORY__({ message: "from the option" })],
      config: { __KEY_PREFIX___message: "from the config" },
      set: { __KEY_PREFIX___message: "from the command line" },
    });
    expect(await readHostFile(testHosts.hosts[0]!, "/srv/www/app/current/__FILE_NAME__")).toBe("from the command line\n");
  });

  it("refuses a bad option when the plugin is created", () => {
    expect(() => __FACTORY__({ message: true as never })).toThrow("options: 'message' must be a string");
  });
});

describe("README.md", () => {
  it("documents each key as src/index.ts declares it", () => {
    expect(readFileSync(new URL("../README.md", import.meta.url), "utf8")).toContain(keyTable(KEYS, "__FACTORY__"));
  });
});
