// The implemented REST operations: one small handler per "METHOD /template".
// A handler throws HttpError for GitHub-style errors, returns a Reply, and
// hands the webhooks its change causes to ctx.emit (they are sent after the
// response, asynchronously, as GitHub does).
import type { IncomingHttpHeaders } from "node:http";
import {
  gitBlobSha,
  HttpError,
  labelNames,
  normalizePath,
  notFound,
  validationFailed,
  type Actor,
  type IssueRec,
  type RepoRec,
  type World,
} from "./model.js";
import type { Role, WorldEvent } from "./types.js";

export interface Reply {
  status?: number;
  /** JSON body. */
  body?: unknown;
  /** Text body (sent as is; set content-type in headers). */
  text?: string;
  headers?: Record<string, string>;
  /** Marks for the call record, for an answer that is not an HTTP error (the GraphQL endpoint's refusals). */
  record?: { refused?: boolean; unimplemented?: boolean };
}

export interface HandlerContext {
  world: World;
  method: string;
  /** "METHOD /template" */
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when none). */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** Raw path under /api/v3, without the query string. */
  path: string;
  /** The API root, e.g. http://127.0.0.1:PORT/api/v3 */
  apiBase: string;
  /** Installation whose token made the call (undefined for app-level calls). */
  installationId?: number;
  /** Who the change is attributed to: the app's bot user for installation calls. */
  actor: Actor;
  /** The repository named by {owner}/{repo}, if the caller may see it; else 404. */
  repo(): RepoRec;
  /** Whether the caller may see this repository (its installation's, and among the token's repositories). */
  canSee(repo: RepoRec): boolean;
  emit(events: WorldEvent[]): void;
  issueToken(installationId: number, repositories?: string[]): { token: string; expiresAt: string };
}

export type Handler = (ctx: HandlerContext) => Reply | Promise<Reply>;

// ------------------------------------------------------------------ helpers

function bodyObject(ctx: HandlerContext): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== "object" || Array.isArray(b)) {
    throw new HttpError(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest", status: "400" });
  }
  return b as Record<string, unknown>;
}

function intParam(value: string | undefined): number {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n <= 0) throw notFound();
  return n;
}

function issueOf(ctx: HandlerContext): { repo: RepoRec; issue: IssueRec } {
  const repo = ctx.repo();
  return { repo, issue: ctx.world.requireIssue(repo, intParam(ctx.params.issue_number)) };
}

/** GitHub-style page slicing with a Link header (rel prev/next/last/first). */
export function paginate<T>(ctx: HandlerContext, items: T[], wrap?: (page: T[]) => unknown): Reply {
  const perPageRaw = Number(ctx.query.get("per_page") ?? "30");
  const perPage = Number.isFinite(perPageRaw) && perPageRaw >= 1 ? Math.min(Math.floor(perPageRaw), 100) : 30;
  const pageRaw = Number(ctx.query.get("page") ?? "1");
  const page = Number.isFinite(pageRaw) && pageRaw >= 1 ? Math.floor(pageRaw) : 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number): string => {
    const u = new URL(`${ctx.apiBase}${ctx.path}`);
    for (const [k, v] of ctx.query) if (k !== "page") u.searchParams.append(k, v);
    u.searchParams.set("page", String(p));
    return u.toString();
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`<${link(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${link(1)}>; rel="first"`);
  return { body: wrap ? wrap(slice) : slice, headers: rels.length ? { link: rels.join(", ") } : {} };
}

function role(repo: RepoRec, login: string): Role {
  const set = repo.permissions.get(login.toLowerCase());
  if (set) return set;
  if (repo.owner.type === "User" && repo.owner.login.toLowerCase() === login.toLowerCase()) return "admin";
  return repo.private ? "none" : "read";
}

const LEGACY_PERMISSION: Record<Role, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

// ------------------------------------------------------------------ handlers

export const handlers: Record<string, Handler> = {
  // --- app level (JWT) ---------------------------------------------------
  "GET /app": (ctx) => ({ body: ctx.world.appJson() }),

  "GET /app/installations": (ctx) => paginate(ctx, [...ctx.world.installations.values()].map((i) => ctx.world.installationJson(i))),

  "GET /app/installations/{installation_id}": (ctx) => {
    const inst = ctx.world.installations.get(Number(ctx.params.installation_id));
    if (!inst) throw notFound();
    return { body: ctx.world.installationJson(inst) };
  },

  "POST /app/installations/{installation_id}/access_tokens": (ctx) => {
    const id = Number(ctx.params.installation_id);
    const inst = ctx.world.installations.get(id);
    if (!inst) throw notFound();
    const b = bodyObject(ctx);
    const names = Array.isArray(b.repositories) ? b.repositories.map(String) : undefined;
    const own = [...ctx.world.repos.values()].filter((r) => r.installationId === id);
    if (names) {
      for (const n of names) {
        if (!own.some((r) => r.name.toLowerCase() === n.toLowerCase())) {
          throw validationFailed([], `There is at least one repository that does not exist or is not accessible to the parent installation: ${n}`);
        }
      }
    }
    const { token, expiresAt } = ctx.issueToken(id, names);
    const body: Record<string, unknown> = {
      token,
      expires_at: expiresAt,
      permissions: { ...ctx.world.opts.permissions },
      repository_selection: names ? "selected" : "all",
    };
    if (names) {
      body.repositories = own.filter((r) => names.some((n) => n.toLowerCase() === r.name.toLowerCase())).map((r) => ctx.world.repoJson(r));
    }
    return { status: 201, body };
  },

  "GET /repos/{owner}/{repo}/installation": (ctx) => {
    const repo = ctx.world.repo(ctx.params.owner ?? "", ctx.params.repo ?? "");
    const inst = repo && ctx.world.installations.get(repo.installationId);
    if (!inst) throw notFound();
    return { body: ctx.world.installationJson(inst) };
  },

  // --- installation -------------------------------------------------------
  "GET /installation/repositories": (ctx) => {
    const repos = [...ctx.world.repos.values()].filter((r) => r.installationId === ctx.installationId);
    return paginate(ctx, repos, (page) => ({
      total_count: repos.length,
      repository_selection: "all",
      repositories: page.map((r) => ctx.world.repoJson(r)),
    }));
  },

  // --- repositories -------------------------------------------------------
  "GET /repos/{owner}/{repo}": (ctx) => ({ body: ctx.world.repoJson(ctx.repo()) }),

  "GET /repos/{owner}/{repo}/contents/{path}": (ctx) => {
    const repo = ctx.repo();
    const ref = ctx.query.get("ref");
    if (!ctx.world.refMatches(repo, ref)) throw notFound(`No commit found for the ref ${ref}`);
    const path = normalizePath(ctx.params.path ?? "");
    const content = repo.files.get(path);
    const api = `${ctx.apiBase}/repos/${repo.owner.login}/${repo.name}`;
    const html = `https://github.com/${repo.owner.login}/${repo.name}`;
    const entry = (p: string, type: "file" | "dir", text?: string): Record<string, unknown> => {
      const sha = text === undefined ? "0".repeat(40) : gitBlobSha(text);
      const url = `${api}/contents/${p}?ref=${repo.defaultBranch}`;
      const htmlUrl = `${html}/${type === "file" ? "blob" : "tree"}/${repo.defaultBranch}/${p}`;
      return {
        type,
        name: p.split("/").pop() ?? p,
        path: p,
        sha,
        size: text === undefined ? 0 : Buffer.byteLength(text, "utf8"),
        url,
        html_url: htmlUrl,
        git_url: `${api}/git/${type === "file" ? "blobs" : "trees"}/${sha}`,
        download_url: type === "file" ? `https://raw.githubusercontent.com/${repo.owner.login}/${repo.name}/${repo.defaultBranch}/${p}` : null,
        _links: { self: url, git: `${api}/git/blobs/${sha}`, html: htmlUrl },
      };
    };
    if (content === undefined) {
      // A directory answers with a JSON listing, whatever the Accept header.
      const prefix = path ? `${path}/` : "";
      const children = new Map<string, "file" | "dir">();
      for (const p of repo.files.keys()) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const [first, ...more] = rest.split("/");
        if (first) children.set(prefix + first, more.length ? "dir" : "file");
      }
      if (!children.size) throw notFound();
      return {
        body: [...children].sort(([a], [b]) => a.localeCompare(b)).map(([p, t]) => entry(p, t, t === "file" ? repo.files.get(p) : undefined)),
      };
    }
    const accept = String(ctx.headers.accept ?? "");
    if (/raw/i.test(accept)) {
      return {
        text: content,
        headers: { "content-type": "text/plain; charset=utf-8", "x-github-media-type": "github.v3; param=raw" },
      };
    }
    const b64 = Buffer.from(content, "utf8").toString("base64").replace(/(.{60})/g, "$1\n");
    return { body: { ...entry(path, "file", content), content: b64.endsWith("\n") ? b64 : `${b64}\n`, encoding: "base64" } };
  },

  // --- issues -------------------------------------------------------------
  "GET /repos/{owner}/{repo}/issues": (ctx) => {
    const repo = ctx.repo();
    const q = ctx.query;
    const state = q.get("state") ?? "open";
    if (!["open", "closed", "all"].includes(state)) throw validationFailed([{ resource: "Issue", code: "invalid", field: "state" }]);
    const wanted = (q.get("labels") ?? "").split(",").map((l) => l.trim().toLowerCase()).filter(Boolean);
    const sort = q.get("sort") ?? "created";
    const direction = q.get("direction") ?? "desc";
    const since = q.get("since");
    const creator = q.get("creator")?.toLowerCase();
    const assignee = q.get("assignee")?.toLowerCase();
    const world = ctx.world;
    const counts = new Map<number, number>();
    for (const c of repo.comments.values()) counts.set(c.issueNumber, (counts.get(c.issueNumber) ?? 0) + 1);
    const sortKey = (i: IssueRec): string | number =>
      sort === "updated" ? i.updatedAt : sort === "comments" ? (counts.get(i.number) ?? 0) : i.createdAt;
    const list = [...repo.issues.values()]
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => wanted.every((w) => i.labelKeys.includes(w)))
      .filter((i) => !since || i.updatedAt >= since)
      .filter((i) => !creator || i.user.login.toLowerCase() === creator)
      .filter((i) =>
        !assignee ||
        (assignee === "none"
          ? i.assignees.length === 0
          : assignee === "*"
            ? i.assignees.length > 0
            : i.assignees.some((a) => a.login.toLowerCase() === assignee)),
      )
      .sort((a, b) => {
        const ka = sortKey(a);
        const kb = sortKey(b);
        const cmp = ka < kb ? -1 : ka > kb ? 1 : a.number - b.number;
        return direction === "asc" ? cmp : -cmp;
      });
    return paginate(ctx, list.map((i) => world.issueJson(repo, i)));
  },

  "POST /repos/{owner}/{repo}/issues": (ctx) => {
    const repo = ctx.repo();
    const b = bodyObject(ctx);
    const { issue, events } = ctx.world.createIssue(repo, ctx.actor, {
      title: typeof b.title === "string" || typeof b.title === "number" ? String(b.title) : "",
      body: typeof b.body === "string" ? b.body : null,
      labels: labelNames(b.labels),
      assignees: Array.isArray(b.assignees) ? b.assignees.map(String) : typeof b.assignee === "string" ? [b.assignee] : [],
      createMissingLabels: true,
    });
    ctx.emit(events);
    return { status: 201, body: ctx.world.issueJson(repo, issue) };
  },

  "GET /repos/{owner}/{repo}/issues/{issue_number}": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    return { body: ctx.world.issueJson(repo, issue) };
  },

  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const b = bodyObject(ctx);
    ctx.emit(ctx.world.updateIssue(repo, issue, ctx.actor, b));
    return { body: ctx.world.issueJson(repo, issue) };
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/assignees": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const b = bodyObject(ctx);
    ctx.emit(ctx.world.assign(repo, issue, ctx.actor, Array.isArray(b.assignees) ? b.assignees.map(String) : []));
    return { status: 201, body: ctx.world.issueJson(repo, issue) };
  },

  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const b = bodyObject(ctx);
    ctx.emit(ctx.world.unassign(repo, issue, ctx.actor, Array.isArray(b.assignees) ? b.assignees.map(String) : []));
    return { body: ctx.world.issueJson(repo, issue) };
  },

  // --- pull requests ------------------------------------------------------
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": (ctx) => {
    const repo = ctx.repo();
    const issue = ctx.world.requireIssue(repo, intParam(ctx.params.pull_number));
    if (!issue.pullRequest) throw notFound();
    // GitHub lists at most 3,000 files of a pull request.
    const files = (issue.files ?? []).slice(0, 3000).map((filename) => ({
      sha: gitBlobSha(filename),
      filename,
      status: "modified",
      additions: 1,
      deletions: 1,
      changes: 2,
      blob_url: `${ctx.world.apiBase.replace(/\/api\/v3$/, "")}/${repo.owner.login}/${repo.name}/blob/feature/${filename}`,
      raw_url: `${ctx.world.apiBase.replace(/\/api\/v3$/, "")}/${repo.owner.login}/${repo.name}/raw/feature/${filename}`,
      contents_url: `${ctx.world.apiBase}/repos/${repo.owner.login}/${repo.name}/contents/${filename}?ref=feature`,
      patch: "@@ -1 +1 @@\n-old\n+new",
    }));
    return paginate(ctx, files);
  },

  // --- comments -----------------------------------------------------------
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const since = ctx.query.get("since");
    const list = [...repo.comments.values()]
      .filter((c) => c.issueNumber === issue.number && (!since || c.updatedAt >= since))
      .sort((a, b) => a.id - b.id);
    return paginate(ctx, list.map((c) => ctx.world.commentJson(repo, c)));
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const { comment, events } = ctx.world.createComment(repo, issue, ctx.actor, bodyObject(ctx).body);
    ctx.emit(events);
    return { status: 201, body: ctx.world.commentJson(repo, comment) };
  },

  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    const repo = ctx.repo();
    return { body: ctx.world.commentJson(repo, ctx.world.requireComment(repo, intParam(ctx.params.comment_id))) };
  },

  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    const repo = ctx.repo();
    const comment = ctx.world.requireComment(repo, intParam(ctx.params.comment_id));
    ctx.emit(ctx.world.updateComment(repo, comment, ctx.actor, bodyObject(ctx).body));
    return { body: ctx.world.commentJson(repo, comment) };
  },

  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": (ctx) => {
    const repo = ctx.repo();
    const comment = ctx.world.requireComment(repo, intParam(ctx.params.comment_id));
    ctx.emit(ctx.world.deleteComment(repo, comment, ctx.actor));
    return { status: 204 };
  },

  // --- labels -------------------------------------------------------------
  "GET /repos/{owner}/{repo}/labels": (ctx) => {
    const repo = ctx.repo();
    return paginate(ctx, [...repo.labels.values()].sort((a, b) => a.id - b.id).map((l) => ctx.world.labelJson(repo, l)));
  },

  "POST /repos/{owner}/{repo}/labels": (ctx) => {
    const repo = ctx.repo();
    const b = bodyObject(ctx);
    const { label, events } = ctx.world.createLabel(repo, ctx.actor, {
      name: typeof b.name === "string" ? b.name : "",
      color: typeof b.color === "string" ? b.color : "ededed",
      description: typeof b.description === "string" ? b.description : null,
    });
    ctx.emit(events);
    return { status: 201, body: ctx.world.labelJson(repo, label) };
  },

  "GET /repos/{owner}/{repo}/labels/{name}": (ctx) => {
    const repo = ctx.repo();
    const label = ctx.world.findLabel(repo, ctx.params.name ?? "");
    if (!label) throw notFound();
    return { body: ctx.world.labelJson(repo, label) };
  },

  "PATCH /repos/{owner}/{repo}/labels/{name}": (ctx) => {
    const repo = ctx.repo();
    const b = bodyObject(ctx);
    const { label, events } = ctx.world.updateLabel(repo, ctx.actor, ctx.params.name ?? "", {
      new_name: typeof b.new_name === "string" ? b.new_name : undefined,
      color: typeof b.color === "string" ? b.color : undefined,
      description: typeof b.description === "string" || b.description === null ? (b.description as string | null) : undefined,
    });
    ctx.emit(events);
    return { body: ctx.world.labelJson(repo, label) };
  },

  "DELETE /repos/{owner}/{repo}/labels/{name}": (ctx) => {
    ctx.emit(ctx.world.deleteLabel(ctx.repo(), ctx.actor, ctx.params.name ?? ""));
    return { status: 204 };
  },

  "GET /repos/{owner}/{repo}/issues/{issue_number}/labels": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    return paginate(ctx, ctx.world.issueJson(repo, issue).labels);
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const b = ctx.body;
    const names = Array.isArray(b) ? labelNames(b) : labelNames(bodyObject(ctx).labels);
    ctx.emit(ctx.world.addLabels(repo, issue, ctx.actor, names, true));
    return { body: ctx.world.issueJson(repo, issue).labels };
  },

  "PUT /repos/{owner}/{repo}/issues/{issue_number}/labels": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const b = ctx.body;
    const names = Array.isArray(b) ? labelNames(b) : labelNames(bodyObject(ctx).labels);
    ctx.emit(ctx.world.setLabels(repo, issue, ctx.actor, names));
    return { body: ctx.world.issueJson(repo, issue).labels };
  },

  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    ctx.emit(ctx.world.removeLabel(repo, issue, ctx.actor, ctx.params.name ?? ""));
    return { body: ctx.world.issueJson(repo, issue).labels };
  },

  // --- permissions --------------------------------------------------------
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission": (ctx) => {
    const repo = ctx.repo();
    const user = ctx.world.user(ctx.params.username ?? "");
    const r = role(repo, user.login);
    const rank = ["none", "read", "triage", "write", "maintain", "admin"].indexOf(r);
    return {
      body: {
        permission: LEGACY_PERMISSION[r],
        role_name: r,
        user: {
          ...ctx.world.userJson(user),
          permissions: { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 },
          role_name: r,
        },
      },
    };
  },

  // --- reactions ----------------------------------------------------------
  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": (ctx) => {
    const repo = ctx.repo();
    const comment = ctx.world.requireComment(repo, intParam(ctx.params.comment_id));
    const { reaction, created } = ctx.world.addReaction(repo, ctx.actor, { kind: "comment", id: comment.id }, bodyObject(ctx).content);
    return { status: created ? 201 : 200, body: ctx.world.reactionJson(reaction) };
  },

  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": (ctx) => {
    const repo = ctx.repo();
    const comment = ctx.world.requireComment(repo, intParam(ctx.params.comment_id));
    const content = ctx.query.get("content");
    const list = repo.reactions.filter((r) => r.subject.kind === "comment" && r.subject.id === comment.id && (!content || r.content === content));
    return paginate(ctx, list.map((r) => ctx.world.reactionJson(r)));
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const { reaction, created } = ctx.world.addReaction(repo, ctx.actor, { kind: "issue", number: issue.number }, bodyObject(ctx).content);
    return { status: created ? 201 : 200, body: ctx.world.reactionJson(reaction) };
  },

  "GET /repos/{owner}/{repo}/issues/{issue_number}/reactions": (ctx) => {
    const { repo, issue } = issueOf(ctx);
    const content = ctx.query.get("content");
    const list = repo.reactions.filter((r) => r.subject.kind === "issue" && r.subject.number === issue.number && (!content || r.content === content));
    return paginate(ctx, list.map((r) => ctx.world.reactionJson(r)));
  },
};
