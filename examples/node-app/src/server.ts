// The app: answers every request with the revision it runs (plugin-git writes REVISION into the
// release; dist/server.js is one level below it). pm2 gives it PORT (pm2_env in deploy.yml).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { hello } from "greeting";

const revision = readFileSync(path.join(__dirname, "..", "REVISION"), "utf8").trim();
const port = Number(process.env.PORT);

createServer((request, response) => {
  const text = request.url === "/pid" ? String(process.pid) : hello(revision);
  response.end(`${text}\n`);
}).listen(port, "127.0.0.1");
