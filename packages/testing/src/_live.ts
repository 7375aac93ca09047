/** Anything that must not outlive the test process. */
export interface Killable {
  kill(): void;
}

const live = new Set<Killable>();
let installed = false;

/**
 * Registers a running host so that a test process which exits without stop() (a crash, a forgotten
 * afterAll) still takes its daemons down. 'exit' handlers must be synchronous, hence kill().
 */
export function track(host: Killable): void {
  if (!installed) {
    installed = true;
    process.on("exit", () => {
      for (const each of live) each.kill();
    });
  }
  live.add(host);
}

export function untrack(host: Killable): void {
  live.delete(host);
}
