import { parseDocument, type YAMLError } from "yaml";
import { FapError } from "@fap/core/internal";

export type Warn = (message: string) => void;

/**
 * Loads deploy.yml with the `yaml` package, for errors that name the line. One mistake of
 * Fapistrano's own examples is forgiven, with a warning: a quoted value missing its closing
 * quote at the end of its line (`key: '%(release_path)s/x.txt`).
 */
export function loadYaml(filepath: string, text: string, warn: Warn = () => {}): unknown {
  const first = parseDocument(text, { prettyErrors: false });
  if (first.errors.length === 0) return first.toJS();
  const repaired = closeUnterminatedQuotes(text);
  if (repaired.lines.length > 0) {
    const second = parseDocument(repaired.text, { prettyErrors: false });
    if (second.errors.length === 0) {
      for (const line of repaired.lines) warn(`${filepath}:${line}: missing closing quote; read to the end of the line`);
      return second.toJS();
    }
  }
  throw yamlError(filepath, text, first.errors[0]!);
}

function closeUnterminatedQuotes(text: string): { text: string; lines: number[] } {
  const lines: number[] = [];
  const out = text.split("\n").map((line, index) => {
    const match = /^(\s*(?:-\s+)?[^'"#\s][^:#]*:\s+|\s*-\s+)(['"])([^'"]*)$/.exec(line);
    if (!match) return line;
    lines.push(index + 1);
    return `${line.trimEnd()}${match[2]}`;
  });
  return { text: out.join("\n"), lines };
}

function yamlError(filepath: string, text: string, error: YAMLError): FapError {
  const offset = error.pos[0];
  const line = text.slice(0, offset).split("\n").length;
  const message = error.message.split("\n")[0] ?? error.message;
  return new FapError("E_CONFIG", `${filepath}:${line}: ${message}`, {
    hint: "fix the YAML at that line (indent with spaces, quote values containing ': ' or '#')",
    cause: error,
  });
}
