export { checkTestHostSupport } from "./check-support.js";
export { startTestHosts } from "./start-test-hosts.js";
export type { HostKeyType, StartTestHostsOptions, TestHost, TestHosts } from "./types.js";
export { deployWith, rollbackWith, restartWith, runTaskWith, type DeployWithOptions, type PluginInput, type TestRun } from "./deploy-with.js";
export { readHostFile, readDeployState, type DeployState } from "./read-host.js";
export { gitRepo, type GitRepo } from "./git-repo.js";
export { hostUsers, type HostUsers, type TestUser } from "./host-users.js";
export { hostSystemd, type HostSystemd } from "./host-systemd.js";
export { checkHostSystemdSupport } from "./check-systemd-support.js";
