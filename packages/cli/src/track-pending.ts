import type { FapInstance } from "@fap/core/internal";

/** What a connector can say about connections it is still opening (SshConnector can). */
export interface OpeningConnections {
  opening?(): string[];
}

type Tap = { name: string; type: string; fn: (...args: unknown[]) => unknown };
type Interceptable = { intercept(interceptor: { register(tap: Tap): Tap }): void };

/**
 * Keeps track of what one run is waiting on: each hook tap that started and did not end
 * (`test:stall (building)`, `fap:git (updating on host1)`), each host still in a phase or task
 * with no tap running, and each connection still opening. Only read if the run never finishes.
 */
export function trackPending(fap: FapInstance, connector: OpeningConnections): () => string[] {
  const taps = new Map<number, { text: string; where: string }>();
  let next = 0;
  for (const [hookName, hook] of Object.entries(fap.hooks)) {
    (hook as unknown as Interceptable).intercept({
      register(tap) {
        if (tap.type !== "promise") return tap;
        const fn = tap.fn;
        tap.fn = (...args: unknown[]) => {
          const host = hostOf(args[0]);
          const where = host === undefined ? hookName : `${hookName} on ${host}`;
          const id = next++;
          taps.set(id, { text: `${tap.name} (${where})`, where });
          const end = () => taps.delete(id);
          let result: unknown;
          try {
            result = fn(...args);
          } catch (error) {
            end();
            throw error;
          }
          // Not a promise: tapable itself reports that; this only stops tracking it.
          if (!(result instanceof Promise)) {
            end();
            return result;
          }
          return result.finally(end);
        };
        return tap;
      },
    });
  }

  const hostPhases = new Set<string>();
  fap.events.on("host-phase", (event) => {
    const where = `${event.phase} on ${event.host}`;
    if (event.state === "start") hostPhases.add(where);
    else hostPhases.delete(where);
  });

  return () => {
    const inTaps = [...taps.values()];
    const covered = new Set(inTaps.map((t) => t.where));
    return [
      ...inTaps.map((t) => t.text),
      ...[...hostPhases].filter((where) => !covered.has(where)),
      ...(connector.opening?.() ?? []).map((address) => `the connection to ${address}`),
    ];
  };
}

function hostOf(ctx: unknown): string | undefined {
  if (typeof ctx !== "object" || ctx === null || !("host" in ctx)) return undefined;
  const host = (ctx as { host: unknown }).host;
  return typeof host === "string" ? host : undefined;
}
