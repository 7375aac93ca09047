import type { FapInstance } from "@fap/core/internal";

/**
 * The build stage (`building`, `built`) runs once, locally, outside any host phase: its
 * hooks are watched with tapable interceptors and reported as phases with no hosts, so
 * reporters time them like the rest.
 */
export function reportBuildStage(fap: FapInstance, flow: string): void {
  for (const phase of ["building", "built"] as const) {
    let started = 0;
    const end = () => fap.events.emit("phase", { flow, phase, state: "end", durationMs: Date.now() - started, hosts: 0 });
    fap.hooks[phase].intercept({
      call() {
        started = Date.now();
        fap.events.emit("phase", { flow, phase, state: "start", hosts: 0 });
      },
      done: end,
      error: end,
    });
  }
}
