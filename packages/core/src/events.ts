import { EventEmitter } from "node:events";

/**
 * What happens during a run, for reporters (people and --json). Core emits; it never prints.
 * `phase` is the hook (or task) running when the event happened; `plugin` is the tap that
 * sent a command (`fap:git`, `fap:hooks`, `task db:migrate`). Commands, output and messages
 * are redacted before they are emitted.
 */
export interface FapEventMap {
  phase: [{ flow: string; phase: string; state: "start" | "end"; durationMs?: number; hosts: number }];
  /** One host in one phase: reporters show which hosts are still working and time each. */
  "host-phase": [{ flow: string; phase: string; host: string; role?: string | undefined; state: "start" | "end"; ok?: boolean; durationMs?: number }];
  command: [{ host: string; command: string; phase?: string | undefined; plugin?: string | undefined }];
  /** `quiet`: output a plugin reads for itself; reporters show it only when verbose. */
  output: [{ host: string; stream: "stdout" | "stderr"; line: string; quiet?: boolean; phase?: string | undefined }];
  "command-end": [
    { host: string; command: string; exitCode: number | null; durationMs: number; phase?: string | undefined; plugin?: string | undefined },
  ];
  log: [{ host?: string | undefined; level: "info" | "warn"; message: string }];
  "host-result": [
    {
      host: string;
      /** A host can be in several roles of a run; each role's result is its own event. */
      role?: string | undefined;
      release?: string | undefined;
      revision?: string | undefined;
      /** True only for `state: "done"`: false also for a host that did not fail itself but was undone because another did. */
      ok: boolean;
      /** What the host holds now, as verified from its answers (deploy and rollback; see HostResultState). */
      state?: HostResultState | undefined;
      phase?: string | undefined;
      error?: string | undefined;
      /** When not ok: what the host holds now, in words ("not switched", "switched back", "NOT switched back: unreachable — …"). */
      note?: string | undefined;
      /** This run's lock may still be on the host (it could not be reached to free it): `fap unlock` is needed. */
      lockLeft?: boolean | undefined;
    },
  ];
}

/**
 * Where a target of a deploy or rollback ended: `done` (every phase passed, the lock freed),
 * `live` (switched, but the run failed after publishing), `not-switched` (`current` never moved),
 * `switched-back` (moved and put back), `not-switched-back` (moved, and putting it back failed).
 */
export type HostResultState = "done" | "live" | "not-switched" | "switched-back" | "not-switched-back";

export type FapEvents = EventEmitter<FapEventMap>;

export function createEvents(): FapEvents {
  return new EventEmitter<FapEventMap>();
}
