import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** git without the machine's or the developer's config: their settings change nothing in a test. */
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" };

/** A repository for deploy tests: a working tree and the bare clone hosts deploy from. */
export interface GitRepo {
  /** The working tree, `<dir>/<name>-src`, on branch `main`. */
  readonly src: string;
  /** The bare clone, `<dir>/<name>.git`: every test host sees the test's temp dir, so this path is its URL. */
  readonly bare: string;
  /** Runs git in the working tree and returns its output, trimmed. */
  git(...args: string[]): string;
  /** Writes `files`, commits them on the checked-out branch and publishes; returns the commit's sha. */
  commit(files: Record<string, string>, message?: string): string;
  /** Commits `files` on a new branch `name` made from main, publishes it and goes back to main. */
  branch(name: string, files: Record<string, string>): string;
  /** Pushes every branch and tag of the working tree to the bare clone. */
  publish(): void;
}

/** Creates `<dir>/<name>-src` (empty, on `main`); the bare clone appears with the first commit. */
export function gitRepo(dir: string, name: string): GitRepo {
  const src = path.join(dir, `${name}-src`);
  const bare = path.join(dir, `${name}.git`);
  const run = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.email=test@fap", "-c", "user.name=test", ...args], { cwd, env: GIT_ENV, encoding: "utf8" }).trim();
  run(dir, "init", "-q", "-b", "main", src);
  const repo: GitRepo = {
    src,
    bare,
    git: (...args) => run(src, ...args),
    commit(files, message = "change") {
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
        writeFileSync(path.join(src, file), content);
      }
      run(src, "add", "-A");
      run(src, "commit", "-q", "-m", message);
      repo.publish();
      return run(src, "rev-parse", "HEAD");
    },
    branch(branchName, files) {
      run(src, "checkout", "-q", "-b", branchName, "main");
      try {
        return repo.commit(files, branchName);
      } finally {
        run(src, "checkout", "-q", "main");
      }
    },
    publish() {
      if (!existsSync(bare)) run(dir, "clone", "-q", "--bare", src, bare);
      else {
        run(src, "push", "-q", "--force", "--all", bare);
        run(src, "push", "-q", "--force", "--tags", bare);
      }
    },
  };
  return repo;
}
