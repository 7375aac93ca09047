/**
 * upload_exclude's globs as one test of a path relative to the upload's top (`a/b.js`, no
 * leading `./`). Like .gitignore: a glob without `/` matches a name at any depth, one with `/`
 * (leading or inside) matches from the top; `*` and `?` stay within a part, `**` crosses parts.
 */
export function excluder(globs: readonly string[]): (relative: string) => boolean {
  const patterns = globs.map((glob) => glob.trim()).filter((glob) => glob !== "").map(globToRegExp);
  return (relative) => patterns.some((pattern) => pattern.test(relative));
}

function globToRegExp(glob: string): RegExp {
  const trimmed = glob.replace(/\/+$/, "");
  const anchored = trimmed.includes("/");
  const body = trimmed.replace(/^\/+/, "");
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === "*" && body[i + 1] === "*") {
      // `**/` matches zero or more whole parts; a final `**` everything below.
      const slash = body[i + 2] === "/";
      out += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (char === "*") out += "[^/]*";
    else if (char === "?") out += "[^/]";
    else out += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${anchored ? "" : "(?:.*/)?"}${out}$`);
}
