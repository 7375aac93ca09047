import { EventEmitter } from "node:events";

/** What happens during a run, for reporters (people and --json). Core emits; it never prints. */
export interface FapEventMap {
  phase: [{ flow: string; phase: string; state: "start" | "end"; durationMs?: number; hosts: number }];
  command: [{ host: string; command: string; phase?: string | undefined }];
  /** `quiet`: output a plugin reads for itself; reporters show it only when verbose. */
  output: [{ host: string; stream: "stdout" | "stderr"; line: string; quiet?: boolean }];
  "command-end": [{ host: string; command: string; exitCode: number | null; durationMs: number }];
  log: [{ host?: string | undefined; level: "info" | "warn"; message: string }];
  "host-result": [{ host: string; release?: string | undefined; ok: boolean; phase?: string | undefined; error?: string | undefined }];
}

export type FapEvents = EventEmitter<FapEventMap>;

export function createEvents(): FapEvents {
  return new EventEmitter<FapEventMap>();
}
