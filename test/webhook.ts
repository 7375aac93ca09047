import { createServer } from "node:http";

/** One POST the webhook received. */
export interface WebhookPost {
  path: string | undefined;
  type: string | undefined;
  body: unknown;
}

/** What the webhook answers a POST with; `hang`: nothing, ever (a timeout test). */
export type WebhookAnswer = { status: number; body?: string } | "hang";

/**
 * An HTTP server on 127.0.0.1 in a chat webhook's place, for the notify tests: it keeps each
 * POST (path, content type, JSON body) in `received` and answers with `answer`, which a test
 * may change. `base` is its `http://127.0.0.1:PORT`.
 */
export async function startWebhook(answer: WebhookAnswer = { status: 204 }) {
  const received: WebhookPost[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ path: req.url, type: req.headers["content-type"], body: JSON.parse(body) as unknown });
      const now = webhook.answer;
      if (now === "hang") return;
      res.writeHead(now.status).end(now.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const webhook = {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    received,
    answer,
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return webhook;
}
