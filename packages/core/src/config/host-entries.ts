import { FapError } from "../errors.js";
import { isPlainObject } from "./interpolate.js";

/**
 * A host as a config writes it: a string (`web1`, `deploy@web1:2222`), as Fapistrano's
 * deploy.yml does, or an object that gives it properties: `{ host: "db1", primary: true,
 * labels: { zone: "a" } }`.
 */
export type HostEntry = string | HostObject;

export interface HostObject {
  host: string;
  /** The role's one primary host (`once: true` tasks, `ctx.primary`); default: the role's first host. */
  primary?: boolean;
  /** Free-form properties a plugin may read (`ctx.labels`, `ctx.targets`). */
  labels?: Readonly<Record<string, string>>;
}

/** One host of a role, with its properties settled. */
export interface RoleHost {
  host: string;
  primary: boolean;
  labels: Readonly<Record<string, string>>;
}

const FIELDS = new Set(["host", "primary", "labels"]);

/**
 * The hosts of one stage.role. The first host is the role's primary unless one says
 * `primary: true`; two that say so is a mistake, not a coin toss.
 */
export function roleHosts(value: unknown, where: string): RoleHost[] {
  const entries = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  const hosts = entries.map((entry, i) => roleHost(entry, `${where}.hosts[${i}]`));
  const primaries = hosts.filter((h) => h.primary);
  if (primaries.length > 1) {
    throw new FapError("E_CONFIG", `${where}: ${primaries.map((h) => h.host).join(" and ")} both say primary: true; a role has one primary host`, {
      hint: "keep primary: true on one host of the role (without it the role's first host is its primary)",
    });
  }
  if (primaries.length === 0 && hosts[0]) hosts[0] = { ...hosts[0], primary: true };
  return hosts;
}

function roleHost(entry: unknown, where: string): RoleHost {
  if (typeof entry === "string" || typeof entry === "number") {
    if (String(entry) === "") throw hostError(where, "is empty");
    return { host: String(entry), primary: false, labels: {} };
  }
  if (!isPlainObject(entry)) throw hostError(where, `must be a host name or { host, primary, labels }, got ${Array.isArray(entry) ? "a list" : typeof entry}`);
  const unknown = Object.keys(entry).find((field) => !FIELDS.has(field));
  if (unknown !== undefined) throw hostError(where, `has an unknown field '${unknown}'`);
  if (typeof entry.host !== "string" || entry.host === "") throw hostError(where, "needs host: NAME");
  if (entry.primary !== undefined && typeof entry.primary !== "boolean") throw hostError(where, "primary must be true or false");
  return { host: entry.host, primary: entry.primary === true, labels: labelsOf(entry.labels, where) };
}

function labelsOf(value: unknown, where: string): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw hostError(where, "labels must be a map of name to text");
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, label] of Object.entries(value)) {
    if (typeof label !== "string" && typeof label !== "number" && typeof label !== "boolean") {
      throw hostError(where, `labels.${name} must be text, a number or true/false`);
    }
    labels[name] = String(label);
  }
  return Object.freeze(labels);
}

function hostError(where: string, problem: string): FapError {
  return new FapError("E_CONFIG", `${where} ${problem}`, {
    hint: "write a host as a name (web1, deploy@web1:2222) or as { host: web1, primary: true, labels: { zone: a } }",
  });
}
