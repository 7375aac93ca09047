import { closeSync, fstatSync, openSync, readFileSync, readdirSync, statSync } from "node:fs";

/**
 * A host's mount namespace, i.e. the host itself: sshd, every session it forked and every exec()
 * command. Holding the namespace file open keeps its inode number reserved, so sweeping the
 * namespace after sshd is gone can never hit processes of a newer namespace that reused the number.
 */
export class MountNamespace {
  #fd: number | undefined;
  readonly #dev: number;
  readonly #ino: number;

  private constructor(fd: number) {
    const stat = fstatSync(fd);
    this.#fd = fd;
    this.#dev = stat.dev;
    this.#ino = stat.ino;
  }

  /** The namespace `pid` lives in; refuses the caller's own, which a sweep would tear down. */
  static of(pid: number): MountNamespace {
    const fd = openSync(`/proc/${pid}/ns/mnt`, "r");
    const namespace = new MountNamespace(fd);
    if (namespace.#contains("self")) {
      namespace.release();
      throw new Error(`process ${pid} is not in a private mount namespace`);
    }
    return namespace;
  }

  /** Signals every process in the namespace; returns how many there were. */
  signalAll(signal: NodeJS.Signals, only: (pid: string) => boolean = () => true): number {
    if (this.#fd === undefined) return 0;
    let count = 0;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry) || !this.#contains(entry) || !only(entry)) continue;
      try {
        process.kill(Number(entry), signal);
        count++;
      } catch {
        // exited since the scan
      }
    }
    return count;
  }

  /** Repeats SIGKILL until the namespace is empty: a process may fork between the scan and the signal. */
  killAll(): void {
    // sshd first: a session process that outlived its command would report the command's
    // death to the client, where a pulled plug must look like a lost connection.
    this.signalAll("SIGKILL", isSshd);
    for (let pass = 0; pass < 50 && this.signalAll("SIGKILL") > 0; pass++);
  }

  release(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #contains(pid: string): boolean {
    try {
      // Zombies have left their namespaces: stat fails and they are skipped.
      const stat = statSync(`/proc/${pid}/ns/mnt`);
      return stat.ino === this.#ino && stat.dev === this.#dev;
    } catch {
      return false;
    }
  }
}

function isSshd(pid: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "sshd";
  } catch {
    return false;
  }
}
