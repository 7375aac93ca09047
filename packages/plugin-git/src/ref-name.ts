/**
 * Why `name` cannot be a branch or tag name, or undefined when it can. These are git's own
 * rules (git-check-ref-format) plus a leading '-', which git would read as an option.
 */
export function refNameProblem(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name.startsWith("-")) return "it starts with '-'";
  if (name === "@") return "it is '@'";
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return "it contains a space, a control character or one of ~ ^ : ? * [ \\";
  if (name.includes("..")) return "it contains '..'";
  if (name.includes("@{")) return "it contains '@{'";
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) return "it has an empty path component";
  if (name.endsWith(".")) return "it ends with '.'";
  if (name.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock"))) {
    return "a component starts with '.' or ends with '.lock'";
  }
  return undefined;
}

/** What `branch` may name besides a branch or a tag: a full or abbreviated commit sha. */
export function looksLikeSha(name: string): boolean {
  return /^[0-9a-fA-F]{4,64}$/.test(name);
}
