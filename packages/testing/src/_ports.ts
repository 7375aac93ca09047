import { createServer, type AddressInfo, type Server } from "node:net";

/**
 * Ports the kernel considers free on 127.0.0.1 right now. All probes stay open until every port is
 * known, so one call never returns the same port twice. Another process may still take a port
 * before sshd binds it; the caller retries on EADDRINUSE.
 */
export async function freePorts(count: number): Promise<number[]> {
  const probes = await Promise.allSettled(Array.from({ length: count }, listenAnywhere));
  const servers = probes.flatMap((probe) => (probe.status === "fulfilled" ? [probe.value] : []));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  const failed = probes.find((probe) => probe.status === "rejected");
  if (failed) throw failed.reason;
  return ports;
}

function listenAnywhere(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
