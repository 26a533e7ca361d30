// The list of real GitHub REST operations, taken at run time from the Octokit
// that Probot ships (`octokit.rest[namespace][method].endpoint.DEFAULTS`), and
// a matcher from a concrete request path to its operation template.
import { ProbotOctokit } from "probot";

export interface Operation {
  /** "GET", "POST", ... */
  method: string;
  /** The URL template without any `{?query}` suffix, e.g. `/repos/{owner}/{repo}/issues/{issue_number}`. */
  template: string;
  /** `${method} ${template}` — the key used for handlers, faults and call records. */
  key: string;
  params: string[];
  regex: RegExp;
  /** Number of literal (non-parameter) characters; longer is more specific. */
  literalLength: number;
}

export interface OperationMatch {
  operation: Operation;
  params: Record<string, string>;
}

interface EndpointLike {
  endpoint?: { DEFAULTS?: { method?: unknown; url?: unknown } };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function compileTemplate(method: string, rawTemplate: string): Operation {
  const template = rawTemplate.replace(/\{\?[^}]*\}$/, "");
  const params: string[] = [];
  let source = "";
  let literalLength = 0;
  for (const part of template.split(/(\{[^}]+\})/)) {
    if (part === "") continue;
    if (part.startsWith("{") && part.endsWith("}")) {
      const name = part.slice(1, -1);
      params.push(name);
      // `{path}` (contents API) takes the rest of the path, slashes included.
      source += name === "path" ? "(.+)" : "([^/]+)";
    } else {
      source += escapeRegex(part);
      literalLength += part.length;
    }
  }
  return {
    method,
    template,
    key: `${method} ${template}`,
    params,
    regex: new RegExp(`^${source}/?$`),
    literalLength,
  };
}

let cached: Operation[] | undefined;

/** All distinct REST operations known to Probot's Octokit (about a thousand). */
export function loadOperations(): Operation[] {
  if (cached) return cached;
  const octokit = new ProbotOctokit();
  const rest = octokit.rest as unknown as Record<string, Record<string, EndpointLike>>;
  const seen = new Map<string, Operation>();
  for (const methods of Object.values(rest)) {
    for (const fn of Object.values(methods)) {
      const defaults = fn.endpoint?.DEFAULTS;
      if (!defaults || typeof defaults.method !== "string" || typeof defaults.url !== "string") continue;
      const op = compileTemplate(defaults.method.toUpperCase(), defaults.url);
      if (!seen.has(op.key)) seen.set(op.key, op);
    }
  }
  // Most specific first: fewest parameters, then most literal text.
  cached = [...seen.values()].sort(
    (a, b) => a.params.length - b.params.length || b.literalLength - a.literalLength,
  );
  return cached;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Match a method and a raw (still percent-encoded) path relative to the API
 * root against the operation list. Octokit encodes `/` inside parameters as
 * `%2F`, so matching on the raw path keeps such values inside one segment.
 */
export function matchOperation(
  operations: readonly Operation[],
  method: string,
  rawPath: string,
): OperationMatch | undefined {
  const upper = method.toUpperCase();
  for (const operation of operations) {
    if (operation.method !== upper) continue;
    const m = operation.regex.exec(rawPath);
    if (!m) continue;
    const params: Record<string, string> = {};
    operation.params.forEach((name, i) => {
      params[name] = decode(m[i + 1] ?? "");
    });
    return { operation, params };
  }
  return undefined;
}

/** Routes GitHub authenticates as the app itself (JWT), not as an installation. */
export function isAppLevelTemplate(template: string): boolean {
  return (
    template === "/app" ||
    template.startsWith("/app/") ||
    template === "/repos/{owner}/{repo}/installation" ||
    template === "/orgs/{org}/installation" ||
    template === "/users/{username}/installation" ||
    template === "/enterprises/{enterprise}/installation" ||
    template.startsWith("/marketplace_listing/")
  );
}
