import { FapError, sh } from "@fap/core";

/** A repo URL split into what may be shown and stored, and the credential it carried. */
export interface RepoSource {
  /** The URL without its user and password: what the mirror's config and every message hold. */
  url: string;
  /** What the host's commands read on stdin (see `credentialSetup`); undefined without a credential. */
  stdin: string | undefined;
}

const WITH_USERINFO = /^(https?:\/\/)([^@/?#]*)@/i;

/**
 * Takes the `user:password@` out of an http(s) repo URL (`repo: env:DEPLOY_REPO_URL` holds a
 * token that way). Given to git in the URL, the credential would be stored in the mirror's
 * config and shown in `ps` on the host, as an argument of git and git-remote-http.
 */
export function repoSource(repo: string): RepoSource {
  const found = WITH_USERINFO.exec(repo);
  if (found === null) return { url: repo, stdin: undefined };
  const url = found[1]! + repo.slice(found[0].length);
  const userinfo = found[2]!;
  const colon = userinfo.indexOf(":");
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const username = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
  const password = colon === -1 ? "" : decode(userinfo.slice(colon + 1));
  if (/[\0\n\r]/.test(username + password)) {
    throw new FapError("E_CONFIG", `the credential in repo ${url} holds a line break or a NUL byte`, {
      hint: "check how the URL's user and password are percent-encoded",
    });
  }
  return { url, stdin: `${username}\n${password}\n` };
}

/**
 * Shell that reads the credential from stdin (builtins: no process shows it) and makes every
 * `git` after it run with a credential helper that prints it from the environment. The helper
 * text on git's command line holds the variables' names only. The empty helper first drops the
 * host's own helpers, so no `store` helper writes the credential to ~/.git-credentials. A shell
 * function rather than GIT_CONFIG_COUNT, which git reads only since 2.31.
 */
function credentialSetup(): string {
  const helper = `!f() { test "$1" = get || return 0; printf 'username=%s\\npassword=%s\\n' "$FAP_GIT_USERNAME" "$FAP_GIT_PASSWORD"; }; f`;
  return [
    "IFS= read -r FAP_GIT_USERNAME; IFS= read -r FAP_GIT_PASSWORD",
    "export FAP_GIT_USERNAME FAP_GIT_PASSWORD GIT_TERMINAL_PROMPT=0",
    sh`git() { command git -c credential.helper= -c ${`credential.helper=${helper}`} "$@"; }`,
  ].join("\n");
}

/** `command`, preceded by the credential setup when the source has a credential. */
export function withCredential(source: RepoSource, command: string): string {
  return source.stdin === undefined ? command : `${credentialSetup()}\n${command}`;
}
