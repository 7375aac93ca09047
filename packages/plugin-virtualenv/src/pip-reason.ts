/**
 * What went wrong, in one line, from the stderr of pip or of the venv tool: pip's `ERROR:`
 * lines (the requirement it could not find, the build that failed), else the last line.
 */
export function pipReason(stderr: string, exitCode: number | null): string {
  const lines = stderr.split("\n").map((line) => line.trim()).filter(Boolean);
  const errors = lines.filter((line) => /^error:/i.test(line));
  if (errors.length > 0) return errors.join(" ");
  return lines.at(-1) ?? `exit code ${exitCode}`;
}
