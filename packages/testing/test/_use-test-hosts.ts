import { afterAll, beforeAll } from "vitest";
import { startTestHosts, type TestHosts } from "../src/index.js";

/**
 * `count` test hosts for the describe block (or file) it is called in: started before its
 * tests, stopped after them. Call the function returned inside a test to get them.
 */
export function useTestHosts(count: number): () => TestHosts {
  let testHosts: TestHosts | undefined;
  beforeAll(async () => {
    testHosts = await startTestHosts({ count });
  });
  afterAll(() => testHosts?.stop());
  return () => {
    if (!testHosts) throw new Error("the test hosts are not started yet");
    return testHosts;
  };
}
