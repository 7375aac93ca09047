/**
 * Config maps are plain dictionaries: their keys are names users chose (stages, roles, keys,
 * tasks), so "__proto__", "constructor" or "toString" must mean a key like any other and never
 * reach Object.prototype. Lookups go through `own`; maps fap fills with such keys are made by
 * `dictionary`, which has no prototype (assigning "__proto__" to a plain {} would replace its
 * prototype instead of adding a key).
 */
export function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
