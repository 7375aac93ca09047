/** One tar (ustar + pax) member's header; what follows it is `size` bytes and padding to BLOCK. */
export interface TarMember {
  name: string;
  type: "file" | "hardlink" | "symlink" | "dir";
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** Bytes of content; 0 for everything but files. */
  size?: number;
  /** The link's target (hard link: a member name of the same extraction). */
  linkname?: string;
}

const BLOCK = 512;

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

const TYPE_FLAG = { file: "0", hardlink: "1", symlink: "2", dir: "5" } as const;
/** The largest size an 11-digit octal field holds; larger ones go into a pax record. */
const MAX_OCTAL_SIZE = 0o77777777777;

/** The header block(s) of one member: a pax header first when a name, link or size does not fit ustar. */
export function tarHeader(member: TarMember): Buffer {
  const name = member.type === "dir" ? `${member.name}/` : member.name;
  const size = member.type === "file" ? (member.size ?? 0) : 0;
  const linkname = member.linkname ?? "";
  const records: string[] = [];
  if (Buffer.byteLength(name) > 100 || !isAscii(name)) records.push(paxRecord("path", name));
  if (Buffer.byteLength(linkname) > 100 || !isAscii(linkname)) records.push(paxRecord("linkpath", linkname));
  if (size > MAX_OCTAL_SIZE) records.push(paxRecord("size", String(size)));
  const header = ustar({ name, type: TYPE_FLAG[member.type], mode: member.mode, mtime: member.mtime, size: Math.min(size, MAX_OCTAL_SIZE), linkname });
  if (records.length === 0) return header;
  const body = Buffer.from(records.join(""));
  const pax = ustar({ name: "PaxHeader", type: "x", mode: 0o644, mtime: member.mtime, size: body.length, linkname: "" });
  return Buffer.concat([pax, body, padding(body.length), header]);
}

/** Zero bytes after `size` bytes of content, up to the next block. */
export function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

interface Fields {
  name: string;
  type: string;
  mode: number;
  mtime: number;
  size: number;
  linkname: string;
}

function ustar(fields: Fields): Buffer {
  const block = Buffer.alloc(BLOCK);
  // Names that do not fit are cut here; the pax record before carries them whole.
  block.write(fields.name, 0, 100, "utf8");
  block.write(octal(fields.mode & 0o7777, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii");
  block.write(octal(0, 8), 116, "ascii");
  block.write(octal(fields.size, 12), 124, "ascii");
  block.write(octal(Math.max(0, fields.mtime), 12), 136, "ascii");
  block.write(" ".repeat(8), 148, "ascii");
  block.write(fields.type, 156, "ascii");
  block.write(fields.linkname, 157, 100, "utf8");
  block.write("ustar\u000000", 257, "ascii");
  // An index loop: a Buffer's iterator costs more than the rest of the header (10 hosts x 5,000 entries).
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i]!;
  block.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, "ascii");
  return block;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\u0000`;
}

/** `LEN key=value\n`, where LEN counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const bytes = Buffer.byteLength(rest);
  let length = bytes + 1;
  while (bytes + String(length).length !== length) length = bytes + String(length).length;
  return `${length}${rest}`;
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}
