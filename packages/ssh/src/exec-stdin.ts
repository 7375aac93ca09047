import type { ExecOptions } from "@fap/core/internal";
import type { ClientChannel } from "ssh2";

// What a command reads on stdin: what the caller gave, if anything, then the end of it.

/** Writes `stdin` to the command, if any, then ends it: a command reading it (cat, read) would otherwise wait forever. */
export function sendStdin(stdin: ExecOptions["stdin"], channel: ClientChannel): void {
  if (isStream(stdin)) pipeStdin(stdin, channel);
  else if (stdin !== undefined) channel.end(stdin);
  else channel.end();
}

function isStream(stdin: ExecOptions["stdin"]): stdin is NodeJS.ReadableStream {
  return typeof stdin === "object" && stdin !== null && typeof (stdin as NodeJS.ReadableStream).pipe === "function";
}

/**
 * Pipes `source` into the channel (pipe() ends it at the source's end). A source destroyed
 * before its end closes the channel instead: the command (tar) must see a cut connection,
 * not an end of input it would take for the whole of it.
 */
function pipeStdin(source: NodeJS.ReadableStream, channel: ClientChannel): void {
  let ended = false;
  source.once("end", () => (ended = true));
  const cut = () => {
    if (ended) return;
    source.unpipe(channel);
    channel.close();
  };
  source.once("error", cut);
  source.once("close", cut);
  source.pipe(channel);
}
