import type { FapEvents } from "../../src/events.js";
import type { Remote } from "../../src/remote.js";
import type { HostContextInit } from "../../src/run/host-context.js";
import { EMPTY_HOST_STATE } from "../../src/run/host-state.js";

/** What createHostContext needs for one host of a deploy, with no release yet, under `root`; `init` overrides any of it. */
export function hostContextInit(remote: Remote, events: FapEvents, init: Partial<HostContextInit> & { root?: string } = {}): HostContextInit {
  const { root = "/srv/app", ...rest } = init;
  return {
    flow: "deploy",
    deployId: "d",
    stage: "production",
    role: "web",
    host: remote.host,
    config: {},
    paths: { root, releases: `${root}/releases`, current: `${root}/current`, shared: `${root}/shared`, meta: `${root}/.fap`, release: undefined },
    release: { id: undefined, previousId: undefined },
    before: EMPTY_HOST_STATE,
    deployer: "me",
    dryRun: false,
    remote,
    events,
    secrets: [],
    ...rest,
  };
}
