/** Colour only for people: a TTY, and NO_COLOR unset (https://no-color.org). */
export function colours(stream: { isTTY?: boolean | undefined }, env: NodeJS.ProcessEnv = process.env) {
  const on = Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== "dumb";
  const wrap = (open: number, close: number) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

export type Colours = ReturnType<typeof colours>;
