import { EventEmitter } from "node:events";
import { Redactor } from "./secrets/redact.js";
import type { HostResultState, RunSummary, TargetSummary } from "./run/run-summary.js";

/**
 * What happens during a run, for reporters (people and --json). Core emits; it never prints.
 * `phase` is the hook (or task) running when the event happened; `plugin` is the tap that
 * sent a command (`fap:git`, `fap:hooks`, `task db:migrate`). Every event is redacted as it
 * is emitted (see FapEventEmitter): no listener ever sees a secret.
 */
export interface FapEventMap {
  phase: [{ flow: string; phase: string; state: "start" | "end"; durationMs?: number; hosts: number }];
  /** One host in one phase: reporters show which hosts are still working and time each. */
  "host-phase": [{ flow: string; phase: string; host: string; stage?: string | undefined; role?: string | undefined; state: "start" | "end"; ok?: boolean; durationMs?: number }];
  command: [{ host: string; stage?: string | undefined; role?: string | undefined; command: string; phase?: string | undefined; plugin?: string | undefined }];
  /** `quiet`: output a plugin reads for itself; reporters show it only when verbose. */
  output: [{ host: string; stage?: string | undefined; role?: string | undefined; stream: "stdout" | "stderr"; line: string; quiet?: boolean; phase?: string | undefined }];
  "command-end": [
    { host: string; stage?: string | undefined; role?: string | undefined; command: string; exitCode: number | null; durationMs: number; phase?: string | undefined; plugin?: string | undefined },
  ];
  log: [{ host?: string | undefined; stage?: string | undefined; role?: string | undefined; level: "info" | "warn"; message: string }];
  "host-result": [
    {
      host: string;
      /** A host can serve several targets (stage.role) of a run; each target's result is its own event. */
      stage?: string | undefined;
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
      /** The host could not be reached (or the connection was lost), to run a phase or to undo one. */
      unreachable?: boolean | undefined;
    },
  ];
  /**
   * A deploy's canary (`canary: N`): `publish` before its hosts are published, `wait` before the
   * pause between its two checks, `passed` once it was checked again (the other hosts follow),
   * `failed` when it (or the other hosts' publish) failed.
   */
  canary: [{ state: "publish" | "wait" | "passed" | "failed"; hosts: string[]; waitMs?: number | undefined }];
  /** Once per run that ran on hosts (deploy, rollback, restart, task), before the outcome hooks: what it came to, every target (without config). */
  summary: [Omit<RunSummary, "targets" | "flow" | "task" | "deployId"> & { targets: Array<Omit<TargetSummary, "config">> }];
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
