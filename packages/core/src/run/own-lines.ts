/**
 * Printed on stdout by the command that frees the lock, with what its undo step did: read by
 * fap, never shown to the user (it may end a command whose other output is shown).
 */
export const UNDO_MARK = "::fap-undo::";

/** Whether a line of stdout is fap's own marker, not the command's output. */
export function isOwnStdoutLine(line: string): boolean {
  return line.startsWith(UNDO_MARK);
}
