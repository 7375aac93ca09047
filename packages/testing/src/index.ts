export { checkTestHostSupport } from "./check-support.js";
export { startTestHosts } from "./start-test-hosts.js";
export type { ExecResult, HostKeyType, StartTestHostsOptions, TestHost, TestHosts } from "./types.js";
