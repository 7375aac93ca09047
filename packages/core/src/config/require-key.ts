import { FapError } from "../errors.js";

/**
 * The value of a key a plugin cannot do without, from what `readKeys` returned: when it is
 * unset, an `E_CONFIG` error `<name> is not set` with `hint` (what to write). A key with a
 * default reads unset only where the user emptied it: pass `"is empty"` for that message.
 */
export function requireKey<K extends Readonly<Record<string, unknown>>, N extends keyof K & string>(
  keys: K,
  name: N,
  hint: string,
  problem: "is not set" | "is empty" = "is not set",
): NonNullable<K[N]> {
  const value = keys[name];
  if (value === undefined || value === null) throw new FapError("E_CONFIG", `${name} ${problem}`, { hint });
  return value as NonNullable<K[N]>;
}
