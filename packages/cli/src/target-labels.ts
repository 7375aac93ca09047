import { planRun, type SessionOptions } from "@fap/core/internal";

/**
 * Whether some host serves several targets (stage.role) of the selection: then each line a
 * host prints names its target, not the host alone. Read from the plan, before connecting, so
 * the first line is already labelled; a config the plan refuses is the run's to report.
 */
export function hostsServeSeveralTargets(options: SessionOptions): boolean {
  try {
    const hosts = planRun(options).targets.map((t) => t.host);
    return new Set(hosts).size < hosts.length;
  } catch {
    return false;
  }
}

/** What a line of `event`'s host is prefixed with: `host1`, or `host1 (staging.web)` when `byTarget`. */
export function targetLabel(event: { host: string; stage?: string | undefined; role?: string | undefined }, byTarget: boolean): string {
  return byTarget && event.stage !== undefined ? `${event.host} (${event.stage}.${event.role ?? ""})` : event.host;
}
