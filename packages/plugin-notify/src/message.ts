import type { RunSummary, TargetSummary } from "@fap/core";

/** One host's line of the message: where it ended, in the words of fap's summary table. */
export interface HostMessage {
  host: string;
  stage: string;
  role: string;
  release: string | undefined;
  previousRelease: string | undefined;
  revision: string | undefined;
  /** `switched`, `not switched`, `switched back`, `NOT switched back`, `not started`; `ok`/`failed` for restart and tasks. */
  result: string;
  /** The summary table's cell: `ok`, `failed in updated; not switched`, ... */
  note: string;
  /** The hook the host failed in itself, and its error, if it did. */
  phase: string | undefined;
  error: string | undefined;
  seconds: number;
  /** Seconds per hook. */
  durations: Record<string, number>;
}

/** The JSON message (`notify_format: json`): what a run came to, once per run. */
export interface NotifyMessage {
  text: string;
  ok: boolean;
  flow: string;
  task: string | undefined;
  deployId: string;
  app: string | undefined;
  stages: string[];
  /** The revision every host deployed, when they agree. */
  revision: string | undefined;
  deployer: string;
  machine: string;
  startedAt: string;
  seconds: number;
  error: { code: string; message: string; hint: string | undefined } | undefined;
  /** Hosts a failed run switched back to the release they had, and those it could not. */
  switchedBack: string[];
  notSwitchedBack: string[];
  hosts: HostMessage[];
}

export function notifyMessage(summary: RunSummary): NotifyMessage {
  const revisions = unique(summary.targets.map((t) => t.revision));
  const app = summary.targets[0]?.config.app_name;
  return {
    text: headline(summary),
    ok: summary.ok,
    flow: summary.flow,
    task: summary.task,
    deployId: summary.deployId,
    app: typeof app === "string" ? app : undefined,
    stages: unique(summary.targets.map((t) => t.stage)),
    revision: revisions.length === 1 ? revisions[0] : undefined,
    deployer: summary.deployer,
    machine: summary.machine,
    startedAt: summary.startedAt,
    seconds: seconds(summary.durationMs),
    error: summary.error,
    switchedBack: hostsWhere(summary, "switched back"),
    notSwitchedBack: hostsWhere(summary, "NOT switched back"),
    hosts: summary.targets.map(hostMessage),
  };
}

/** `deploy of shop to production succeeded (a5b4d672), run by alice on laptop, 12.3s` */
export function headline(summary: RunSummary): string {
  const what = summary.task === undefined ? summary.flow : `task ${summary.task}`;
  const app = summary.targets[0]?.config.app_name;
  const stages = unique(summary.targets.map((t) => t.stage)).join(", ");
  const of = typeof app === "string" && app !== "" ? ` of ${app}` : "";
  const to = stages === "" ? "" : ` to ${stages}`;
  return `${what}${of}${to} ${summary.ok ? "succeeded" : "FAILED"} (${summary.deployId}), run by ${summary.deployer} on ${summary.machine}, ${seconds(summary.durationMs)}s`;
}

function hostMessage(t: TargetSummary): HostMessage {
  return {
    host: t.host, stage: t.stage, role: t.role, release: t.release, previousRelease: t.previousRelease, revision: t.revision,
    result: t.result, note: t.note, phase: t.phase, error: t.error, seconds: seconds(t.durationMs),
    durations: Object.fromEntries(Object.entries(t.durations).map(([hook, ms]) => [hook, seconds(ms)])),
  };
}

function hostsWhere(summary: RunSummary, result: TargetSummary["result"]): string[] {
  return unique(summary.targets.filter((t) => t.result === result).map((t) => t.host));
}

function seconds(ms: number): number {
  return Math.round(ms / 10) / 100;
}

function unique<T>(values: readonly (T | undefined)[]): T[] {
  return [...new Set(values.filter((v): v is T => v !== undefined))];
}
