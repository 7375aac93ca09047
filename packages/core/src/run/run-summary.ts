import type { FlowName } from "../flow-name.js";

/**
 * Where a target of a deploy or rollback ended: `done` (every phase passed, the lock freed),
 * `live` (switched, but the run failed after publishing), `not-switched` (`current` never moved),
 * `switched-back` (moved and put back), `not-switched-back` (moved, and putting it back failed).
 */
export type HostResultState = "done" | "live" | "not-switched" | "switched-back" | "not-switched-back";

/**
 * Where one target ended, as the summary table and `--json` `host-result` say: a deploy's or
 * rollback's HostResultState, `failed` for a host of a restart or task that failed itself,
 * `not-started` for a target the run never got to run a hook on (it failed before: a build,
 * connecting, locking, reading the hosts).
 */
export type TargetState = HostResultState | "failed" | "not-started";

/**
 * The same, in the words a notification uses. `switched`: `current` is on the run's release
 * (`done`, or `live` when the run failed after publishing); `NOT switched back`: moved, and
 * putting it back failed, so it still runs the run's release. Restart and tasks: `ok`/`failed`.
 */
export type TargetResult = "switched" | "not switched" | "switched back" | "NOT switched back" | "ok" | "failed" | "not started";

/** One target (host of one stage.role) of a run, at its end. */
export interface TargetSummary {
  readonly stage: string;
  readonly role: string;
  /** The host as written in the config. */
  readonly host: string;
  /** Deploy: the new release; rollback: the release rolled back to; otherwise undefined. */
  readonly release: string | undefined;
  /** Deploy: the release `current` pointed to before; rollback: the one rolled back from. */
  readonly previousRelease: string | undefined;
  /** What the taps recorded as `revision` (e.g. @fap/plugin-git). */
  readonly revision: string | undefined;
  /** True only for `state: "done"`: every phase passed and the lock was freed. */
  readonly ok: boolean;
  readonly state: TargetState;
  readonly result: TargetResult;
  /** The summary table's result cell: `ok`, `failed in published; switched back`, `NOT switched back: unreachable — …`. */
  readonly note: string;
  /** The hook (or task step) the target failed in itself, if it did. */
  readonly phase: string | undefined;
  /** The target's own error message (redacted), if it failed itself. */
  readonly error: string | undefined;
  /** The host could not be reached (to connect, or to undo). */
  readonly unreachable: boolean;
  /** This run's lock may still be on the host: it needs `fap unlock`. */
  readonly lockLeft: boolean;
  /** Milliseconds the target spent in each host hook (or task step) it ran. */
  readonly durations: Readonly<Record<string, number>>;
  /** Their sum. */
  readonly durationMs: number;
  /**
   * Every key resolved for this target and interpolated (as `ctx.config`). For a target the run
   * never connected to, as far as it can be resolved without the host (`user` as configured).
   */
  readonly config: Readonly<Record<string, unknown>>;
}

/** What a run came to, for the outcome hooks (`succeeded`, `failed`, `completed`) and `--json`. */
export interface RunSummary {
  readonly flow: FlowName;
  /** `fap run NAME` of a task: its name. */
  readonly task: string | undefined;
  readonly deployId: string;
  readonly dryRun: boolean;
  /** True when the run succeeded: every target `done` (deploy, rollback) or `ok`. */
  readonly ok: boolean;
  /** The error the run failed with, as printed (redacted), for a failed run. */
  readonly error: { readonly code: string; readonly message: string; readonly hint: string | undefined } | undefined;
  /** The local user running fap. */
  readonly deployer: string;
  /** The machine fap ran on (its host name). */
  readonly machine: string;
  /** When the run started (ISO 8601) and how long it took until now. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Every selected target, in the config's order. */
  readonly targets: readonly TargetSummary[];
}

/**
 * The summary table's result cell for one `host-result`: `ok`, else the host's own failure
 * (`failed in PHASE`) and what it holds now. The CLI's table and the outcome hooks both use it.
 */
export function hostResultText(result: { ok: boolean; phase?: string | undefined; note?: string | undefined }): string {
  if (result.ok) return "ok";
  const failed = result.phase ? `failed in ${result.phase}` : result.note === undefined ? "failed" : undefined;
  return [failed, result.note].filter(Boolean).join("; ");
}
