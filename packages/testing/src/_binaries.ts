import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";

// sshd lives in sbin, which a non-login PATH often lacks.
const EXTRA_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin"];

/** Only hits: a program installed while the process runs is found on the next look. */
const found = new Map<string, string>();

/** Absolute path of an executable (sshd refuses to re-exec itself from a relative one), or undefined. */
async function findBinary(name: string): Promise<string | undefined> {
  const cached = found.get(name);
  if (cached) return cached;
  const path = await search(name);
  if (path) found.set(name, path);
  return path;
}

async function search(name: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter((dir) => dir.startsWith("/")), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Like findBinary(), but a missing program is an error naming the package to install. */
export async function requireBinary(name: string, aptPackage: string): Promise<string> {
  const path = await findBinary(name);
  if (!path) throw new Error(`test hosts need ${name}, which is not installed (apt-get install ${aptPackage})`);
  return path;
}
