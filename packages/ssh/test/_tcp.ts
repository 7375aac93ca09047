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
 * with a TCP reset when `reset` is set. `batchMs` holds what the server sends and passes it on in
 * one write that long after its first byte, as a slow or busy link delivers several packets in
 * one read. `reset()` resets every connection it carries, as a server that died with bytes unread.
 */
export async function relay(port: number, options: { drops?: number; reset?: boolean; batchMs?: number } = {}): Promise<TestServer & { freeze(): void; reset(): void }> {
  let frozen = false;
  const carried = new Set<net.Socket>();
  const server = await listen((socket, index) => {
    carried.add(socket);
    socket.on("close", () => carried.delete(socket));
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
    const flush = (): void => {
      if (!frozen && !socket.destroyed) socket.write(Buffer.concat(held));
      held = [];
    };
    upstream.on("data", (chunk: Buffer) => {
      if (frozen) return;
      if (options.batchMs === undefined) return void socket.write(chunk);
      if (held.push(chunk) === 1) setTimeout(flush, options.batchMs);
    });
    // A frozen peer does not even answer the end of the connection.
    socket.on("end", () => frozen || upstream.end());
    // After what is held: a timer set later fires later.
    upstream.on("end", () => frozen || (options.batchMs === undefined ? socket.end() : setTimeout(() => socket.end(), options.batchMs)));
  }, "127.0.0.1", true);
  return Object.assign(server, {
    freeze: () => (frozen = true),
    reset: () => {
      for (const socket of carried) socket.resetAndDestroy();
    },
  });
}
