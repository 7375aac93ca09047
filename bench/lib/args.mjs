// `npm run bench -- --hosts 1,10 --runs 3 --memory-hosts 0`
const DEFAULTS = {
  hosts: [1, 10, 50],
  runs: 5,
  variants: ["fap", "capistrano", "shipit", "limit", "phased"],
  startupRuns: 10,
  memoryHosts: 200,
  memorySshd: 200,
  outputMb: 100,
  outputRuns: 3,
  out: "bench/results",
};

const HELP = `usage: npm run bench -- [options]
  --hosts 1,10,50        host counts to measure (default 1,10,50)
  --runs N               timed runs per variant and kind after a warm-up (default 5)
  --variants a,b         among fap,capistrano,shipit,limit,phased (default all)
  --startup-runs N       runs of node -e 0 / fap --version / dry-run (default 10; 0 skips)
  --memory-hosts N       hosts of the memory run (default 200; 0 skips)
  --memory-sshd N        sshd processes behind them; fewer than hosts means aliases (default 200)
  --output-mb N          MB one command prints, through fap once and through ssh (default 100; 0 skips)
  --output-runs N        timed runs of each in the output bench (default 3)
  --out DIR              where results-<date>.json/.md go (default bench/results)
  --render FILE.json     only rewrite FILE.md from a results JSON (after changing the report)`;

export function parseArgs(argv) {
  const options = { ...DEFAULTS };
  const list = (v) => v.split(",").map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--hosts": options.hosts = list(value()).map(Number); break;
      case "--runs": options.runs = Number(value()); break;
      case "--variants": options.variants = list(value()); break;
      case "--startup-runs": options.startupRuns = Number(value()); break;
      case "--memory-hosts": options.memoryHosts = Number(value()); break;
      case "--memory-sshd": options.memorySshd = Number(value()); break;
      case "--output-mb": options.outputMb = Number(value()); break;
      case "--output-runs": options.outputRuns = Number(value()); break;
      case "--out": options.out = value(); break;
      case "--render": options.render = value(); break;
      case "-h": case "--help": console.log(HELP); process.exit(0); break;
      default: throw new Error(`unknown option ${argv[i]}\n${HELP}`);
    }
  }
  if (options.hosts.some((h) => !Number.isInteger(h) || h < 1)) throw new Error("--hosts takes positive integers");
  const unknown = options.variants.filter((v) => !DEFAULTS.variants.includes(v));
  if (unknown.length) throw new Error(`unknown variant ${unknown.join(", ")}`);
  if (!(options.runs >= 1)) throw new Error("--runs must be at least 1");
  options.full = ["hosts", "runs", "variants", "startupRuns", "memoryHosts", "memorySshd", "outputMb", "outputRuns"].every(
    (k) => JSON.stringify(options[k]) === JSON.stringify(DEFAULTS[k]),
  );
  return options;
}
