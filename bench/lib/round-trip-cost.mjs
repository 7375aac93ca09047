// What one more round trip costs: ssh2 connect + handshake, and an exec channel running `true`
// on an already open connection (what each extra command of fap costs at least).
import { readFileSync } from "node:fs";
import ssh2 from "ssh2";
import { summarize } from "./stats.mjs";

function connect(host, identityFile) {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once("ready", () => resolve(client)).once("error", reject);
    client.connect({ host: "127.0.0.1", port: host.port, username: host.user, privateKey: readFileSync(identityFile), hostVerifier: () => true });
    client.setNoDelay(true);
  });
}

function exec(client, command) {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      stream.resume();
      stream.stderr.resume();
      stream.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command}: exit ${code}`))));
    });
  });
}

export async function measureRoundTrips(host, identityFile, samples = 30) {
  const connects = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    (await connect(host, identityFile)).end();
    connects.push(performance.now() - t);
  }
  const client = await connect(host, identityFile);
  const times = {};
  try {
    for (const command of ["true", "git --version"]) {
      times[command] = [];
      for (let i = 0; i < samples; i++) {
        const t = performance.now();
        await exec(client, command);
        times[command].push(performance.now() - t);
      }
    }
  } finally {
    client.end();
  }
  const round = (s) => ({ ...s, median: Math.round(s.median * 10) / 10, values: undefined });
  return {
    connectMs: round(summarize(connects)),
    execMs: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, round(summarize(v))])),
  };
}
