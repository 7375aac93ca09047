/**
 * `fn` over every item, at most `limit` at a time, in order of the results. Starting hundreds
 * of hosts at once (ssh-keygen, unshare, sshd, readiness probes) would make each one wait for
 * the CPU long enough to miss its readiness timeout on a small machine.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
