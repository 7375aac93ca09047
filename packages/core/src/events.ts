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
      /** False also for a host that did not fail itself but was left on its old release because another did. */
      ok: boolean;
      phase?: string | undefined;
      error?: string | undefined;
      /** For a host that did not fail itself in a failed run: what became of it ("not switched", "switched back"). */
      note?: string | undefined;
    },
  ];
}

export type FapEvents = EventEmitter<FapEventMap>;

export function createEvents(): FapEvents {
  return new EventEmitter<FapEventMap>();
}
