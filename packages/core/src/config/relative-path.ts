/**
 * Whether `path` stays inside the folder it is read from: relative, with no empty, `.` or `..`
 * part (`app/x.py`; not `/etc/x`, `../x`, `a//b` or `./a`). Paths checked with it are later
 * given to `rm -rf`, `ln -sfn` or `mv` in that folder, so one that leaves it must never pass.
 */
export function isRelativeInside(path: string): boolean {
  return path !== "" && !path.startsWith("/") && path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}
