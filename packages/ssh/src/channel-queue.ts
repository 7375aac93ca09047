/**
 * Limits open channels on one connection: sshd refuses sessions beyond MaxSessions (10 by
 * default) instead of queueing them, so fap queues, first come first served.
 */
export class ChannelQueue {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** When the last channel was released (or the queue made); meaningful only while idle. */
  private lastUsedAt = Date.now();

  constructor(private limit: number) {
    if (!(limit >= 1)) throw new RangeError(`channel limit must be at least 1, got ${limit}`);
  }

  get size(): { active: number; waiting: number; limit: number } {
    return { active: this.active, waiting: this.waiting.length, limit: this.limit };
  }

  /** Milliseconds without any channel open or waiting; 0 while one is. */
  idleMs(now = Date.now()): number {
    return this.active > 0 || this.waiting.length > 0 ? 0 : now - this.lastUsedAt;
  }

  /** Resolves with a release function once a slot is free. Releasing twice is harmless. */
  async acquire(): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      // The releaser handed its slot over to us: `active` already counts it.
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.handOver();
    };
  }

  /** A server with a lower MaxSessions told us so by refusing a channel: stay below it. */
  lower(limit: number): void {
    this.limit = Math.max(1, Math.min(this.limit, limit));
  }

  private handOver(): void {
    if (this.active <= this.limit) {
      const next = this.waiting.shift();
      if (next) return next();
    }
    this.active--;
    this.lastUsedAt = Date.now();
  }
}
