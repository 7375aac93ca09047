// The repository every variant deploys: 20 small files, one commit on `main`, published as a
// bare repository under the bench's temp dir. Every host sees /tmp, so its path is its URL.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

function git(cwd, ...args) {
  return execFileSync("git", ["-c", "user.email=bench@fap", "-c", "user.name=bench", ...args], { cwd, env: GIT_ENV, encoding: "utf8" }).trim();
}

/** Creates `<dir>/src` (working tree) and `<dir>/app.git` (bare); returns the bare path and the commit. */
export function makeRepo(dir, fileCount = 20) {
  const src = path.join(dir, "src");
  const bare = path.join(dir, "app.git");
  git(dir, "init", "-q", "-b", "main", src);
  for (let i = 0; i < fileCount; i++) {
    const file = path.join(src, i < 10 ? `src/module${i}.js` : `public/page${i}.html`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `// file ${i}\n${"x".repeat(200 + i * 37)}\n`);
  }
  git(src, "add", "-A");
  git(src, "commit", "-q", "-m", "bench app");
  git(dir, "clone", "-q", "--bare", src, bare);
  return { bare, sha: git(src, "rev-parse", "HEAD"), branch: "main", fileCount };
}
