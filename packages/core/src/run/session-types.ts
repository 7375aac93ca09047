import type { FapConfig } from "../config/types.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { Layer } from "../config/layers.js";
import type { Selection, Target } from "../config/select.js";
import type { HostContext, HostPaths } from "../context.js";
import type { FapInstance } from "../fap.js";
import type { Connector, Remote, ResolvedAddress } from "../remote.js";
import type { HostState } from "./host-state.js";
import type { Rollout } from "./rollout.js";

export interface SessionOptions {
  fap: FapInstance;
  config: FapConfig;
  selection: Selection;
  /** Values from the command line (`--set key=value`, `--curl-url=...`): the highest layer. */
  cliValues?: Record<string, unknown>;
  connector: Connector;
  dryRun?: boolean;
  /** Clock for release ids (tests). */
  now?: () => Date;
  /** Hosts worked on at once; defaults to the `parallel` key. */
  parallel?: number;
  /** Rolling publish (--batch, --batch-wait) and failure tolerance (--max-failed) of a deploy. */
  rollout?: Rollout;
  /** Abort (with the signal's name as reason) to stop the run cleanly: Ctrl-C. */
  signal?: AbortSignal;
  /** Values to redact from all output, e.g. from `resolveSecrets`; values of secret keys are added. */
  secrets?: readonly string[];
  /** Rollback: when the hosts would go to different releases, send all to the newest one every host holds in good state (--align). */
  alignRollback?: boolean;
  /** Rollback: the release id, or revision, every host goes to (--to), instead of each one's previous good release. */
  rollbackTo?: string;
  /** Deploy, rollback: how long to wait for another run's lock on a host before failing (--lock-wait); 0: fail at once. */
  lockWaitMs?: number;
  /** Id of this run (in the lock, the release log and every --json event); default: a random one. */
  deployId?: string;
}

/** The hosts of one run, connected, inspected and given their contexts. */
export interface Session {
  readonly deployId: string;
  readonly contexts: HostContext[];
  readonly parallel: number;
}

export interface PreparedTarget {
  target: Target;
  /** Its host of the run (see HostGroups): targets with the same one share one release. */
  group: string;
  remote: Remote;
  address: ResolvedAddress;
  layers: readonly Layer[];
  config: ResolvedConfig;
  paths: HostPaths;
  state: HostState;
}
