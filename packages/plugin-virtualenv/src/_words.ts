import { FapError } from "@fap/core";

/**
 * A command or option list as written: a string is split on whitespace (`--no-index
 * --find-links /srv/wheels`), a list is taken word for word (so a word may hold a space).
 */
export function words(value: unknown, key: string): string[] {
  if (value === undefined || value === null || value === "") return [];
  if (typeof value === "string") return value.trim().split(/\s+/).filter(Boolean);
  if (!Array.isArray(value)) throw new FapError("E_CONFIG", `${key} must be a string or a list of words, got ${typeof value}`);
  return value.map((item) => {
    const word = String(item);
    // `- --find-links /srv/wheels` in YAML is one word to pip, which it would refuse.
    if (/^-/.test(word) && /\s/.test(word) && !word.includes("=")) {
      throw new FapError("E_CONFIG", `${key}: '${word}' is one list item but looks like an option and its value`, {
        hint: `write them as two items, or as one word: ${word.replace(/\s+/, "=")}`,
      });
    }
    return word;
  });
}
