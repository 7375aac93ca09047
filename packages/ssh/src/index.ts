export { SshConnector, type SshConnectorOptions } from "./connector.js";
export { parseHostString, type HostString } from "./host-string.js";
export { loadSshConfig, resolveSshTarget, type SshTarget, type StrictHostKeyChecking } from "./ssh-config.js";
