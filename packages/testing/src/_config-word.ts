/**
 * One argument in sshd_config / ssh_config syntax. Double quotes protect whitespace; paths holding
 * characters OpenSSH would expand or cannot quote (%tokens, quotes, newlines) are refused instead of
 * being silently misread.
 */
export function configWord(value: string): string {
  if (/["%\\\n\r]/.test(value)) throw new Error(`cannot use ${JSON.stringify(value)} in an OpenSSH config file`);
  return /\s/.test(value) ? `"${value}"` : value;
}
