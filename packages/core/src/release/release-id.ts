import { FapError } from "../errors.js";

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

/**
 * Orders ids by time: runs of digits compare as numbers, so the same-second suffix does too
 * (`-10` after `-9`) whatever the format's own separators (`%Y-%m-%d` gives `2024-01-02-2`).
 */
export function compareReleaseIds(a: string, b: string): number {
  const partsA = a.match(/\d+|\D+/g) ?? [];
  const partsB = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i++) {
    const x = partsA[i]!;
    const y = partsB[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const nx = x.replace(/^0+(?=\d)/, "");
      const ny = y.replace(/^0+(?=\d)/, "");
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return partsA.length - partsB.length;
}

/** Checks that an id is one path segment with nothing a shell or a path could misread. */
export function isValidReleaseId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) && id !== "." && id !== "..";
}

/** What release_id_format gives at `now`; E_CONFIG if that is no valid directory name. */
export function formattedReleaseId(values: Readonly<Record<string, unknown>>, now: Date): string {
  const id = formatReleaseId(String(values.release_id_format), now);
  if (!isValidReleaseId(id)) {
    throw new FapError("E_CONFIG", `release_id_format gives '${id}', which is not a valid directory name`, {
      hint: "use letters, digits, '.', '_' and '-' only, e.g. %Y%m%d-%H%M%S",
    });
  }
  return id;
}
