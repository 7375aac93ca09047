import net from "node:net";

/** A TCP server on loopback for connection tests; `close()` also destroys every socket it accepted. */
export interface TestServer {
  port: number;
  /** Sockets accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/** Listens on `host` port 0 and hands each accepted socket to `onSocket`. */
export async function listen(onSocket: (socket: net.Socket, index: number) => void, host = "127.0.0.1", allowHalfOpen = false): Promise<TestServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer({ allowHalfOpen }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onSocket(socket, accepted++);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Forwards each connection to `port` on loopback; `frozen` stops passing bytes on (a peer that
 * went silent, even to the end of the connection), `drops` closes that many first connections at once (sshd past MaxStartups),
 * with a TCP reset when `reset` is set. After `batch(ms)`, the server's bytes are held for `ms`
 * from the first one, then written at once: packets sshd sent apart reach the client in one read.
 */
export async function relay(port: number, options: { drops?: number; reset?: boolean } = {}): Promise<TestServer & { freeze(): void; batch(ms: number): void }> {
  let frozen = false;
  let batchMs = 0;
  const server = await listen((socket, index) => {
    if (index < (options.drops ?? 0)) {
      if (options.reset) socket.resetAndDestroy();
      else socket.destroy();
      return;
    }
    const upstream = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    upstream.on("error", () => socket.destroy());
    socket.on("close", () => upstream.destroy());
    upstream.on("close", () => socket.destroy());
    socket.on("data", (chunk: Buffer) => frozen || upstream.write(chunk));
    let held: Buffer[] = [];
    const flush = () => {
      if (held.length > 0 && !socket.writableEnded) socket.write(Buffer.concat(held));
      held = [];
    };
    upstream.on("data", (chunk: Buffer) => {
      if (frozen) return;
      if (batchMs === 0) return socket.write(chunk);
      if (held.push(chunk) === 1) setTimeout(flush, batchMs);
    });
    // A frozen peer does not even answer the end of the connection.
    socket.on("end", () => frozen || upstream.end());
    upstream.on("end", () => {
      if (frozen) return;
      flush();
      socket.end();
    });
  }, "127.0.0.1", true);
  return Object.assign(server, { freeze: () => (frozen = true), batch: (ms: number) => (batchMs = ms) });
}
