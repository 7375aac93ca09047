import type { SessionOptions } from "@fap/core/internal";
import type { CommonOptions } from "./common-options.js";
import { prepareRun, warnOnStderr, type PrepareOptions } from "./session-options.js";

/**
 * For a command that looks and changes nothing (status, releases, history, doctor, config):
 * the run prepared with secrets masked unless `prepare` says otherwise, `look` given its
 * options, and the connections closed however it ends.
 */
export async function lookAtHosts<T>(
  common: CommonOptions,
  extraArgs: readonly string[],
  look: (options: SessionOptions) => Promise<T>,
  prepare: PrepareOptions = { secrets: "mask" },
): Promise<T> {
  const { options, connector } = await prepareRun(common, extraArgs, warnOnStderr, prepare);
  try {
    return await look(options);
  } finally {
    await connector.close();
  }
}

/** One JSON object a line, as every --json of fap writes. */
export function writeJsonLines(out: NodeJS.WritableStream, items: readonly unknown[]): void {
  for (const item of items) out.write(`${JSON.stringify(item)}\n`);
}
