import type { AnyKey, KeyDeclarations } from "./declare-keys.js";

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "string",
  number: "number",
  boolean: "boolean",
  list: "list",
  map: "map",
  commands: "map of hook → command(s)",
};

/**
 * The markdown key table of a plugin's docs page, made from its declaration: key, factory
 * option, type, default, meaning. `factory` names the options column (`curl({...})`).
 * Docs pages hold it between `<!-- keys -->` and `<!-- /keys -->` (scripts/key-tables.mjs).
 */
export function keyTable(keys: KeyDeclarations, factory: string): string {
  const rows = Object.entries(keys).map(([name, declared]) => {
    const option = declared.option === undefined ? "" : `\`${declared.option}\``;
    return `| \`${name}\` | ${option} | ${typeColumn(declared)} | ${defaultColumn(declared)} | ${declared.doc ?? declared.description} |`;
  });
  return [`| key | \`${factory}({...})\` option | type | default | meaning |`, "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}

function typeColumn(declared: AnyKey): string {
  const base = declared.typeDoc ?? TYPE_WORDS[declared.type] ?? declared.type;
  const ranged = declared.check?.doc && declared.typeDoc === undefined ? `${base} (${declared.check.doc})` : base;
  return declared.secret ? `${ranged}, **secret**` : ranged;
}

function defaultColumn(declared: AnyKey): string {
  if (declared.defaultDoc !== undefined) return declared.defaultDoc;
  const value = declared.default;
  if (value === undefined) return "unset";
  if (typeof value === "string") return `\`${value}\``;
  return `\`${JSON.stringify(value)}\``;
}
