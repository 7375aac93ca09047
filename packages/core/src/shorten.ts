/** `text` cut to at most `max` characters, ending in … when cut: a message or a terminal line stays readable. */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
