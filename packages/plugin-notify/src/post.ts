/** What happened to one POST: fine, or why not, in words for a warning. */
export type PostResult = { ok: true } | { ok: false; reason: string };

/**
 * POSTs `body` as JSON from the machine running fap, giving up after `timeoutMs`. Never throws:
 * a notification that cannot be sent is the caller's warning, not the run's failure.
 */
export async function postJson(url: string, body: unknown, timeoutMs: number): Promise<PostResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read the answer whole, so the connection is free before fap exits.
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? { ok: true } : { ok: false, reason: `the server answered ${response.status} ${response.statusText}`.trim() };
  } catch (error) {
    return { ok: false, reason: describe(error, timeoutMs) };
  }
}

/** `timed out after 10s`, `connect ECONNREFUSED 127.0.0.1:9`, `Invalid URL`, ... */
function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `timed out after ${timeoutMs / 1000}s`;
  const cause = error instanceof Error ? (error.cause as { message?: string; code?: string } | undefined) : undefined;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
