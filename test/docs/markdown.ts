import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/** A fenced code block of a page: its language, the rest of its info string, where it starts. */
export interface CodeBlock {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** After the language: `ts notify.ts` → `notify.ts`, `ts no-check` → `no-check`. */
  info: string;
  code: string;
  /** The reason of a `<!-- not checked: reason -->` comment on the line before the fence. */
  notChecked?: string | undefined;
}

/** The pages whose examples are checked: docs/, the root README and every package's and example's. */
export function pagesOf(root: string): string[] {
  const docs = readdirSync(path.join(root, "docs"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/${file.split(path.sep).join("/")}`);
  const readmes = ["packages", "examples"].flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .map((name) => `${dir}/${name}/README.md`)
      .filter((file) => existsSync(path.join(root, file))),
  );
  return ["README.md", "ARCHITECTURE.md", "CONTRIBUTING.md", ...docs.sort(), ...readmes];
}

/** Every fenced block of a page (``` or ~~~ fences, of three or more). */
export function codeBlocks(page: string, text: string): CodeBlock[] {
  const lines = text.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang, info] = open;
    const body: string[] = [];
    let end = i + 1;
    for (; end < lines.length && !lines[end]!.trimStart().startsWith(fence!); end++) body.push(lines[end]!.slice(indent!.length));
    const comment = /^\s*<!--\s*not checked:\s*(.+?)\s*-->\s*$/.exec(lines[i - 1] ?? "");
    blocks.push({ page, line: i + 1, lang: lang!, info: info!.trim(), code: body.join("\n"), notChecked: comment?.[1] });
    i = end;
  }
  return blocks;
}

/** The page without its fenced code blocks (a `#` line in a shell block is no heading). */
function withoutFences(text: string): string {
  return text.replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\s*\2[^\n]*$/gm, "");
}

/** The page's text outside code, fenced or inline (a link in code is no link). */
function prose(text: string): string {
  return withoutFences(text).replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutFences(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const plain = match[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/<[^>]+>/g, "");
    const slug = plain.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const match of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1]!);
  return anchors;
}

/** Every link target of a page's prose: `[text](target)` and `[label]: target` definitions. */
export function linksOf(text: string): string[] {
  const body = prose(text);
  const inline = [...body.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const defined = [...body.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1]!);
  return [...inline, ...defined];
}
