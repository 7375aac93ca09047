import type { RunContext } from "../context.js";
import type { FapInstance } from "../fap.js";

/**
 * The build stage (`building`, then `built`): once, locally, before any host is touched. Each
 * hook is a phase with no hosts, so reporters time it like the host phases; a phase ends
 * (and is timed) whether its taps succeed or throw.
 */
export async function runBuildStage(fap: FapInstance, build: RunContext): Promise<void> {
  for (const phase of ["building", "built"] as const) {
    const started = Date.now();
    fap.events.emit("phase", { flow: build.flow, phase, state: "start", hosts: 0 });
    try {
      await fap.hooks[phase].promise(build);
    } finally {
      fap.events.emit("phase", { flow: build.flow, phase, state: "end", durationMs: Date.now() - started, hosts: 0 });
    }
  }
}
