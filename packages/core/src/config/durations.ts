import { FapError } from "../errors.js";

/**
 * Every duration fap turns into a Node timer or a Date, with its range, in one place: a value
 * past Node's timer limit (2^31-1 ms, about 24.8 days) fires at once, and one past Date's
 * range makes an invalid date. Config keys get a `check` from here, command-line flags
 * `checkFlagSeconds`, and plugins' `ctx.run(..., { timeoutMs })` `checkTimerMs`.
 */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A lock's `expires` is a Date; ten years is far beyond any run, and far inside Date's range. */
export const MAX_LOCK_TTL_SECONDS = 10 * 365 * 24 * 3600;

export interface SecondsRange {
  /** The least value allowed; 0 with `aboveMin` means "above 0". */
  min: number;
  aboveMin: boolean;
  max: number;
}

/** Ranges of the duration keys and flags, in seconds. */
export const DURATIONS = {
  command_timeout: { min: 0, aboveMin: true, max: MAX_TIMER_SECONDS },
  lock_ttl: { min: 0, aboveMin: true, max: MAX_LOCK_TTL_SECONDS },
  canary_wait: { min: 0, aboveMin: false, max: MAX_TIMER_SECONDS },
  "--batch-wait": { min: 0, aboveMin: false, max: MAX_TIMER_SECONDS },
  "--lock-wait": { min: 0, aboveMin: false, max: MAX_TIMER_SECONDS },
} as const satisfies Record<string, SecondsRange>;

/** "above 0 and at most 2147483 (24 days)" */
export function describeRange(range: SecondsRange): string {
  const low = range.aboveMin ? `above ${range.min}` : `at least ${range.min}`;
  return `${low} and at most ${range.max} (${humanDays(range.max)})`;
}

export function inRange(value: unknown, range: SecondsRange): boolean {
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  return (range.aboveMin ? value > range.min : value >= range.min) && value <= range.max;
}

/** For a config key's `check`: "must be a number of seconds above 0 and at most ...". */
export function secondsWithin(range: SecondsRange): (value: unknown) => string | undefined {
  return (value) => (inRange(value, range) ? undefined : `must be a number of seconds ${describeRange(range)}`);
}

/** A command-line flag's value in seconds, or an E_USAGE naming the flag and its range. */
export function checkFlagSeconds(flag: keyof typeof DURATIONS, text: string): number {
  const range: SecondsRange = DURATIONS[flag];
  const value = text.trim() === "" ? NaN : Number(text);
  if (!inRange(value, range)) {
    throw new FapError("E_USAGE", `${flag} ${text}: expected a number of seconds ${describeRange(range)}`, { hint: `e.g. ${flag} 30` });
  }
  return value;
}

/** A timeout a plugin passes to `ctx.run`, in milliseconds; E_PLUGIN when Node could not wait that long. */
export function checkTimerMs(timeoutMs: number, host: string): number {
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_SECONDS * 1000)) {
    throw new FapError("E_PLUGIN", `run(command, { timeoutMs: ${timeoutMs} }): expected milliseconds above 0 and at most ${MAX_TIMER_SECONDS * 1000}`, { host });
  }
  return timeoutMs;
}

function humanDays(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  return days >= 365 ? `${Math.floor(days / 365)} years` : `${days} days`;
}
