// Preloaded into the fap process with `node --require` (packages stay untouched). At exit it
// writes JSON to $BENCH_PROBE_OUT: the peak RSS (KiB), the bytes the process read (Linux's
// rchar: files, sockets and pipes) and, when $BENCH_COUNT_CHANNELS is set,
// the SSH channels opened per host (exec, sftp, shell) and when connecting started and ended,
// by wrapping ssh2's Client. Counting loads ssh2 up front, so timed runs leave it off.
// CommonJS: a preloaded ES module (`--import`) cost every timed fap run ~6 ms of wall time on
// this machine, which the limit script, measuring itself, does not pay.
const { readFileSync, writeFileSync } = require("node:fs");

const out = process.env.BENCH_PROBE_OUT;
const channels = {};
const marks = {};

if (out && process.env.BENCH_COUNT_CHANNELS) {
  // @fap/ssh's own copy of ssh2's client (scripts/bundle-ssh2-client.mjs), the very Client
  // class fap uses: required by path, it is the same module fap's bundle requires.
  const { Client } = require("../../packages/ssh/dist/fap-ssh2.cjs");
  const hostOf = (client) => `${client.config?.host}:${client.config?.port}`;
  const entryOf = (client) => (channels[hostOf(client)] ??= { exec: 0, sftp: 0, shell: 0, commands: [] });
  for (const kind of ["exec", "sftp", "shell"]) {
    const original = Client.prototype[kind];
    Client.prototype[kind] = function (...args) {
      const entry = entryOf(this);
      entry[kind] += 1;
      if (kind === "exec") {
        const record = { at: Math.round(performance.now()), command: String(args[0]) };
        entry.commands.push(record);
        const index = args.findIndex((a) => typeof a === "function");
        if (index >= 0) {
          const callback = args[index];
          args[index] = (error, stream) => {
            stream?.once("close", () => (record.end = Math.round(performance.now())));
            return callback(error, stream);
          };
        }
      }
      return original.apply(this, args);
    };
  }
  const connect = Client.prototype.connect;
  Client.prototype.connect = function (...args) {
    marks.firstConnect ??= performance.now();
    this.once("ready", () => (marks.lastReady = performance.now()));
    return connect.apply(this, args);
  };
}

if (out) {
  process.on("exit", () => {
    marks.exit = performance.now();
    const usage = process.resourceUsage();
    const readBytes = Number(/^rchar: (\d+)$/m.exec(readFileSync("/proc/self/io", "utf8"))?.[1]);
    writeFileSync(out, JSON.stringify({ maxRssKiB: usage.maxRSS, readBytes, cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000), userMs: Math.round(usage.userCPUTime / 1000), sysMs: Math.round(usage.systemCPUTime / 1000), channels, marks }));
  });
}
