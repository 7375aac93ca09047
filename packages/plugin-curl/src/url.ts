import { FapError } from "@fap/core";

/** curl_url as curl gets it, and the `user:password` it held, if any (moved to curl's stdin). */
export interface ArtifactUrl {
  /** The URL without credentials: what commands, logs and errors show. */
  url: string;
  /** Decoded `user:password` from the URL's userinfo. */
  credentials: string | undefined;
  /** The last part of the URL's path, decoded; "" when the path ends with '/'. */
  basename: string;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** Splits curl_url; throws E_CONFIG (naming the URL without its credentials) for what curl could not take. */
export function parseArtifactUrl(raw: string): ArtifactUrl {
  const parsed = SCHEME.test(raw) ? tryParse(raw) : undefined;
  if (parsed === undefined) {
    throw new FapError("E_CONFIG", `curl_url '${withoutCredentials(raw)}' is not a URL`, {
      hint: "write the whole URL, e.g. --curl-url=https://ci.example.com/builds/app-1.4.2.tgz",
    });
  }
  const credentials = parsed.username || parsed.password
    ? `${decode(parsed.username)}:${decode(parsed.password)}`
    : undefined;
  let url = raw;
  if (credentials !== undefined) {
    parsed.username = "";
    parsed.password = "";
    url = parsed.href;
  }
  return { url, credentials, basename: decode(parsed.pathname.slice(parsed.pathname.lastIndexOf("/") + 1)) };
}

/** `scheme://user:pass@host/...` → `scheme://***@host/...`, also for text that is no valid URL. */
export function withoutCredentials(text: string): string {
  return text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@\s]*@/g, "$1***@");
}

function tryParse(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
