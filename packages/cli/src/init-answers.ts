import { FapError } from "@fap/core/internal";
import { FIRST_PARTY_PLUGINS } from "./plugin-names.js";

/** What `fap init` writes a config from. */
export interface InitAnswers {
  appName: string;
  stages: string[];
  roles: string[];
  /** Hosts of each `stage.role`. */
  hosts: Record<string, string[]>;
  /** As written in `plugins`: short names of ours (`git`), or package names. */
  plugins: string[];
  /** For the git plugin. */
  repo?: string | undefined;
  /** Deploy path; unset: core's default, /home/<user>/www/<app_name>. */
  path?: string | undefined;
}

/** `fap init`'s flags, as commander parses them. */
export interface InitFlags {
  name?: string;
  stages?: string;
  roles?: string;
  /** `h1,h2` for every stage.role, or `production.web=h1,h2`, or `production=h1`; repeatable. */
  hosts?: string[];
  plugins?: string;
  repo?: string;
  path?: string;
}

export interface InitDefaults {
  /** From package.json's name or the folder's name. */
  appName: string;
  /** `git remote get-url origin`, when the folder is a clone. */
  repo?: string | undefined;
}

/** Asks one question; resolves with the answer, "" for none. */
export type Ask = (question: string) => Promise<string>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Wrong answers to one question before fap init gives up (a closed input answers "" forever). */
const MAX_TRIES = 5;

/**
 * The answers from the flags, asking (when `ask` is given: an interactive terminal) for what
 * they leave out, else taking defaults. Hosts (and, with git, the repository) have no default.
 */
export async function gatherAnswers(flags: InitFlags, defaults: InitDefaults, ask?: Ask): Promise<InitAnswers> {
  // A person who answers wrong is told why and asked again; flags (a script) fail at once.
  const question = async (text: string, fallback: string | undefined, problem: (answer: string) => string | undefined = () => undefined): Promise<string> => {
    if (!ask) return fallback ?? "";
    const prompt = `${text}${fallback ? ` [${fallback}]` : ""}: `;
    let reason: string | undefined;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const typed = (await ask(reason === undefined ? prompt : `${reason}; try again\n${prompt}`)).trim();
      const answer = typed === "" ? (fallback ?? "") : typed;
      reason = problem(answer);
      if (reason === undefined) return answer;
    }
    return fallback ?? "";
  };

  const appName = flags.name ?? (await question("App name", defaults.appName, (a) => nameProblem(a, "app name")));
  checkName(appName, "app name", "--name");
  const names = (kind: string) => (answer: string) => (list(answer).length === 0 ? `give at least one ${kind}` : list(answer).map((n) => nameProblem(n, `${kind} name`)).find(Boolean));
  const stages = list(flags.stages ?? (await question("Stages (comma-separated)", "production", names("stage"))));
  const roles = list(flags.roles ?? (await question("Roles (comma-separated)", "web", names("role"))));
  if (stages.length === 0) throw usage("give at least one stage", "--stages production,staging");
  if (roles.length === 0) throw usage("give at least one role", "--roles web,worker");
  [...stages, ...roles].forEach((n) => checkName(n, "stage or role name", "--stages / --roles"));

  const given = parseHostFlags(flags.hosts ?? [], stages, roles);
  const hosts: Record<string, string[]> = {};
  for (const stage of stages) {
    for (const role of roles) {
      const key = `${stage}.${role}`;
      const noHosts = (answer: string) => (list(answer).length === 0 ? `no hosts for ${key}: give at least one` : undefined);
      hosts[key] = given[key] ?? list(await question(`Hosts of ${key} (ssh aliases or user@host, comma-separated)`, undefined, noHosts));
      if (hosts[key]!.length === 0) {
        throw usage(`no hosts for ${key}`, "pass --hosts web1,web2 (every stage and role) or --hosts production.web=web1,web2");
      }
    }
  }

  const plugins = list(flags.plugins ?? (await question(`Plugins (${FIRST_PARTY_PLUGINS.join(", ")}; comma-separated)`, defaults.repo ? "git" : "")));
  let repo = flags.repo;
  if (plugins.includes("git") && repo === undefined) {
    const noRepo = (answer: string) => (answer === "" ? "the git plugin needs a repository" : undefined);
    repo = (await question("Git repository, as the hosts reach it", defaults.repo, noRepo)) || undefined;
    if (repo === undefined) throw usage("the git plugin needs a repository", "pass --repo git@host:owner/app.git");
  }
  const path = flags.path ?? undefined;
  if (path !== undefined && !path.startsWith("/")) throw usage(`--path ${path}: must be absolute`, "e.g. --path /srv/www/%(app_name)s");
  return { appName, stages, roles, hosts, plugins, repo, path };
}

/** `--hosts` values to hosts per stage.role. */
export function parseHostFlags(values: readonly string[], stages: readonly string[], roles: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    const scope = eq < 0 ? "" : value.slice(0, eq);
    const hosts = list(eq < 0 ? value : value.slice(eq + 1));
    const [stage, role] = scope.split(".");
    if (scope !== "" && (!stage || !stages.includes(stage) || (role !== undefined && !roles.includes(role)))) {
      throw usage(`--hosts ${value}: '${scope}' is not one of the stages (${stages.join(", ")}) or stage.role`, "e.g. --hosts production.web=web1,web2");
    }
    for (const s of stages) {
      for (const r of roles) {
        if ((stage === undefined || stage === "" || stage === s) && (role === undefined || role === r)) out[`${s}.${r}`] = [...(out[`${s}.${r}`] ?? []), ...hosts];
      }
    }
  }
  return out;
}

function list(text: string): string[] {
  return text.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
}

function nameProblem(name: string, what: string): string | undefined {
  return NAME.test(name) ? undefined : `'${name}' is not a valid ${what} (use letters, digits, '.', '_' and '-')`;
}

function checkName(name: string, what: string, flag: string): void {
  if (!NAME.test(name)) throw usage(`'${name}' is not a valid ${what}`, `use letters, digits, '.', '_' and '-' (${flag})`);
}

function usage(message: string, hint: string): FapError {
  return new FapError("E_USAGE", `fap init: ${message}`, { hint });
}
