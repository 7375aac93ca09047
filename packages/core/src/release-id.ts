/** Formats `date` (UTC) with the strftime subset release ids use: %Y %y %m %d %H %M %S %%. */
export function formatReleaseId(format: string, date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const fields: Record<string, string> = {
    Y: String(date.getUTCFullYear()),
    y: pad(date.getUTCFullYear() % 100),
    m: pad(date.getUTCMonth() + 1),
    d: pad(date.getUTCDate()),
    H: pad(date.getUTCHours()),
    M: pad(date.getUTCMinutes()),
    S: pad(date.getUTCSeconds()),
    "%": "%",
  };
  return format.replace(/%(.)/g, (match, letter: string) => fields[letter] ?? match);
}

/**
 * A release id free on every host: `base`, else `base-2`, `base-3`, ... so that two deploys
 * in the same second never share a directory.
 */
export function freeReleaseId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Orders ids by time: the same-second suffix compares as a number (`-10` after `-9`). */
export function compareReleaseIds(a: string, b: string): number {
  const [baseA, suffixA] = splitSuffix(a);
  const [baseB, suffixB] = splitSuffix(b);
  if (baseA !== baseB) return baseA < baseB ? -1 : 1;
  return suffixA - suffixB;
}

function splitSuffix(id: string): [string, number] {
  const match = /^(.*)-(\d{1,3})$/.exec(id);
  // Only short trailing numbers are same-second suffixes; the time itself (…-153000) is not.
  return match && match[1] !== undefined && match[2] !== undefined ? [match[1], Number(match[2])] : [id, 1];
}

/** Checks that an id is one path segment with nothing a shell or a path could misread. */
export function isValidReleaseId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) && id !== "." && id !== "..";
}
