import { EventEmitter } from "node:events";
import { Redactor } from "./redact.js";

/**
 * What happens during a run, for reporters (people and --json). Core emits; it never prints.
 * `phase` is the hook (or task) running when the event happened; `plugin` is the tap that
 * sent a command (`fap:git`, `fap:hooks`, `task db:migrate`). Every event is redacted as it
 * is emitted (see FapEventEmitter): no listener ever sees a secret.
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

/**
 * Redacts every string of every event with `redactor` before any listener gets it, whoever
 * emits it (core, a plugin, a flow): an event cannot bypass redaction, and a reporter added
 * later need not know about secrets.
 */
export class FapEventEmitter extends EventEmitter<FapEventMap> {
  constructor(readonly redactor: Redactor = new Redactor()) {
    super();
  }

  override emit<K extends keyof FapEventMap>(name: K, ...args: FapEventMap[K]): boolean {
    const redacted = args.map((arg) => this.redactor.deep(arg)) as unknown as FapEventMap[K];
    return (super.emit as (this: EventEmitter, name: K, ...args: FapEventMap[K]) => boolean).call(this, name, ...redacted);
  }
}

export type FapEvents = FapEventEmitter;

export function createEvents(redactor?: Redactor): FapEvents {
  return new FapEventEmitter(redactor);
}
