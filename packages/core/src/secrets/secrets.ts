import { FapError } from "../errors.js";
import { isPlainObject } from "../config/interpolate.js";

const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * A value read from the environment when fap runs, and redacted wherever it would be shown.
 * In deploy.yml write `env:NAME`; `secret("NAME")` is the same, typed, for deploy.config.ts.
 */
export function secret(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new FapError("E_CONFIG", `secret('${name}'): not an environment variable name`, { hint: "use letters, digits and _" });
  }
  return `env:${name}`;
}

export interface ResolvedSecrets<T> {
  config: T;
  /** The values read, to redact from every output. */
  secrets: string[];
}

/** Replaces every `env:NAME` string in the config (except under `plugins`) by $NAME; a missing one is an error naming the key. */
export function resolveSecrets<T extends object>(config: T, env: NodeJS.ProcessEnv = process.env): ResolvedSecrets<T> {
  const secrets: string[] = [];
  const walk = (value: unknown, where: string): unknown => {
    if (typeof value === "string") {
      const name = ENV_REF.exec(value)?.[1];
      if (name === undefined) return value;
      const found = env[name];
      if (found === undefined || found === "") {
        throw new FapError("E_CONFIG", `${where}: the environment variable ${name} is not set`, {
          hint: `export ${name}=... before running fap (secrets never live in the config)`,
        });
      }
      secrets.push(found);
      return found;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${where}[${i}]`));
    if (isPlainObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, where === "" && (k === "plugins" || k === "tasks") ? v : walk(v, where ? `${where}.${k}` : k)]));
    }
    return value;
  };
  return { config: walk(config, "") as T, secrets };
}
