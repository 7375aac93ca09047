import type { Client } from "ssh2";
import { ChannelQueue } from "./channel-queue.js";

export type LostListener = (cause: Error | undefined, closedByUs: boolean) => void;

/**
 * One live ssh2 client and what hangs off it: the channel queue and the commands waiting for
 * it to die. Once lost it stays lost; the connector opens a new one for later commands.
 */
export class Connection {
  readonly channels: ChannelQueue;
  private readonly listeners = new Set<LostListener>();
  private lostState: { cause: Error | undefined; closedByUs: boolean } | undefined;
  private closedByUs = false;
  private readonly closed: Promise<void>;
  private handedOutAt = Date.now();

  constructor(
    readonly client: Client,
    maxChannels: number,
    /** Tells the pool to forget this connection. */
    forget: (connection: Connection) => void,
  ) {
    this.channels = new ChannelQueue(maxChannels);
    let lastError: Error | undefined;
    this.closed = new Promise((resolve) => {
      client.on("close", () => {
        this.markLost(lastError);
        forget(this);
        resolve();
      });
    });
    // Without a listener an 'error' would crash the process; 'close' always follows it.
    client.on("error", (error: Error) => {
      lastError = error;
      this.markLost(error);
      forget(this);
      // ssh2 usually closes the socket itself after an error; make sure nothing lingers.
      client.end();
    });
  }

  /** The pool gave it to a caller, who opens a channel on it a few microtasks later. */
  touch(): void {
    this.handedOutAt = Date.now();
  }

  /** Milliseconds since it was last used or handed out; 0 while a channel is open or waiting. */
  idleMs(now = Date.now()): number {
    return Math.min(this.channels.idleMs(now), now - this.handedOutAt);
  }

  get isLost(): boolean {
    return this.lostState !== undefined;
  }

  /** Calls `listener` once if the connection goes away; returns the unsubscribe function. */
  onLost(listener: LostListener): () => void {
    if (this.lostState) {
      const { cause, closedByUs } = this.lostState;
      queueMicrotask(() => listener(cause, closedByUs));
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the connection and waits (briefly) until the socket is closed. */
  async end(): Promise<void> {
    this.closedByUs = true;
    this.client.end();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
    await Promise.race([this.closed, timeout]);
    if (!this.isLost) {
      this.client.destroy();
      this.markLost(undefined);
    }
  }

  private markLost(cause: Error | undefined): void {
    if (this.lostState) return;
    this.lostState = { cause, closedByUs: this.closedByUs };
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener(cause, this.closedByUs);
  }
}
