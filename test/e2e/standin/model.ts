// The stand-in's state (installations, repositories, issues, comments,
// labels, reactions, files), GitHub-shaped serializers, and the mutations
// shared by the REST handlers and the "act as a human" helpers. Every
// mutation returns the webhooks GitHub would send for it.
import { createHash, randomBytes } from "node:crypto";
import type {
  AppJson,
  CommentJson,
  IssueJson,
  LabelJson,
  ReactionJson,
  ReactionRollup,
  RepoJson,
  Role,
  UserJson,
  UserLike,
  UserType,
  WebhookPayload,
  WorldEvent,
} from "./types.js";

export interface UserRef {
  login: string;
  id: number;
  type: UserType;
}

export interface Actor {
  user: UserRef;
  /** The app made the change with an installation token. */
  viaApp: boolean;
}

export interface InstallationRec {
  id: number;
  account: UserRef;
  createdAt: string;
}

export interface LabelRec {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface IssueRec {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: UserRef;
  labelKeys: string[];
  state: "open" | "closed";
  stateReason: IssueJson["state_reason"];
  locked: boolean;
  assignees: UserRef[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: UserRef | null;
  viaApp: boolean;
  /** A pull request (GitHub numbers them with issues): REST lists it with `pull_request`; GraphQL's `issues` leaves it out. */
  pullRequest?: boolean;
  /** A pull request's changed files (paths), in the order GitHub lists them. */
  files?: string[];
  /** `owner/name` of a pull request's head repository (a fork), when not the base repository. */
  headRepo?: string;
}

export interface CommentRec {
  id: number;
  issueNumber: number;
  body: string;
  user: UserRef;
  createdAt: string;
  updatedAt: string;
  viaApp: boolean;
}

export const REACTION_CONTENTS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"] as const;
export type ReactionContent = (typeof REACTION_CONTENTS)[number];

export interface ReactionRec {
  id: number;
  content: ReactionContent;
  user: UserRef;
  createdAt: string;
  subject: { kind: "issue"; number: number } | { kind: "comment"; id: number };
}

export interface RepoRec {
  id: number;
  owner: UserRef;
  name: string;
  private: boolean;
  defaultBranch: string;
  installationId: number;
  files: Map<string, string>;
  headSha: string;
  issues: Map<number, IssueRec>;
  nextNumber: number;
  labels: Map<string, LabelRec>;
  comments: Map<number, CommentRec>;
  reactions: ReactionRec[];
  permissions: Map<string, Role>;
  createdAt: string;
  pushedAt: string;
}

export interface WorldOptions {
  appId: string;
  slug: string;
  appName: string;
  appOwner: string;
  botUserId: number;
  permissions: Record<string, string>;
  events: string[];
  now: () => Date;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "object" && body && "message" in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
  }
}

export function notFound(message = "Not Found"): HttpError {
  return new HttpError(404, { message, documentation_url: "https://docs.github.com/rest", status: "404" });
}

export function validationFailed(errors: unknown[], message = "Validation Failed"): HttpError {
  return new HttpError(422, { message, errors, documentation_url: "https://docs.github.com/rest", status: "422" });
}

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString("base64").replace(/=+$/, "");
}

/** The inverse of nodeId(): `{ kind: "Issue", id: "2000001" }`, or undefined for anything nodeId() cannot have made. */
export function decodeNodeId(value: string): { kind: string; id: string } | undefined {
  if (!/^[A-Za-z0-9+/]+$/.test(value)) return undefined;
  const text = Buffer.from(value, "base64").toString("utf8");
  const m = /^0(\d{1,3}):/.exec(text);
  if (!m) return undefined;
  const length = Number(m[1]);
  const kind = text.slice(m[0].length, m[0].length + length);
  const id = text.slice(m[0].length + length);
  if (kind.length !== length || !id || nodeId(kind, id) !== value) return undefined;
  return { kind, id };
}

export function gitBlobSha(content: string): string {
  const buf = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${buf.length}\0`).update(buf).digest("hex");
}

function randomSha(): string {
  return randomBytes(20).toString("hex");
}

/** GitHub's timestamps have second precision: 2024-01-02T03:04:05Z. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const key = (s: string): string => s.toLowerCase();

export function normalizeColor(color: unknown): string {
  if (typeof color !== "string") return "ededed";
  return color.replace(/^#/, "").toLowerCase();
}

export class World {
  apiBase = "";
  readonly installations = new Map<number, InstallationRec>();
  readonly repos = new Map<string, RepoRec>();
  private readonly users = new Map<string, UserRef>();
  private seq = {
    user: 5000,
    repo: 100000,
    issue: 2000000,
    comment: 3000000,
    label: 4000000,
    reaction: 5000000,
  };
  readonly bot: UserRef;

  constructor(readonly opts: WorldOptions) {
    this.bot = { login: `${opts.slug}[bot]`, id: opts.botUserId, type: "Bot" };
    this.users.set(key(this.bot.login), this.bot);
  }

  now(): string {
    return isoSeconds(this.opts.now());
  }

  // ---------------------------------------------------------------- users

  user(like: UserLike): UserRef {
    const login = typeof like === "string" ? like : like.login;
    const existing = this.users.get(key(login));
    if (existing) return existing;
    const ref: UserRef = {
      login,
      id: typeof like === "object" && like.id !== undefined ? like.id : ++this.seq.user,
      type: typeof like === "object" && like.type ? like.type : "User",
    };
    this.users.set(key(login), ref);
    return ref;
  }

  human(like: UserLike): Actor {
    return { user: this.user(like), viaApp: false };
  }

  get appActor(): Actor {
    return { user: this.bot, viaApp: true };
  }

  // ---------------------------------------------------------------- setup

  addInstallation(id: number, account: string, accountType: "Organization" | "User"): InstallationRec {
    const rec: InstallationRec = {
      id,
      account: this.user({ login: account, type: accountType }),
      createdAt: this.now(),
    };
    this.installations.set(id, rec);
    return rec;
  }

  addRepo(input: {
    owner: string;
    name: string;
    private?: boolean;
    default_branch?: string;
    installationId: number;
    files?: Record<string, string>;
    labels?: Array<string | { name: string; color?: string; description?: string | null }>;
  }): RepoRec {
    const installation = this.installations.get(input.installationId);
    if (!installation) throw new Error(`stand-in: no installation ${input.installationId}; call addInstallation first`);
    const fullKey = key(`${input.owner}/${input.name}`);
    if (this.repos.has(fullKey)) throw new Error(`stand-in: repository ${input.owner}/${input.name} exists`);
    const ownerType = key(installation.account.login) === key(input.owner) ? installation.account.type : "User";
    const now = this.now();
    const repo: RepoRec = {
      id: ++this.seq.repo,
      owner: this.user({ login: input.owner, type: ownerType }),
      name: input.name,
      private: input.private ?? false,
      defaultBranch: input.default_branch ?? "main",
      installationId: input.installationId,
      files: new Map(Object.entries(input.files ?? {}).map(([p, c]) => [normalizePath(p), c])),
      headSha: randomSha(),
      issues: new Map(),
      nextNumber: 1,
      labels: new Map(),
      comments: new Map(),
      reactions: [],
      permissions: new Map(),
      createdAt: now,
      pushedAt: now,
    };
    this.repos.set(fullKey, repo);
    for (const l of input.labels ?? []) {
      const spec = typeof l === "string" ? { name: l } : l;
      this.createLabel(repo, null, spec);
    }
    return repo;
  }

  repo(owner: string, name: string): RepoRec | undefined {
    return this.repos.get(key(`${owner}/${name}`));
  }

  requireRepo(owner: string, name: string): RepoRec {
    const repo = this.repo(owner, name);
    if (!repo) throw new Error(`stand-in: no repository ${owner}/${name}`);
    return repo;
  }

  requireIssue(repo: RepoRec, number: number): IssueRec {
    const issue = repo.issues.get(number);
    if (!issue) throw notFound();
    return issue;
  }

  requireComment(repo: RepoRec, id: number): CommentRec {
    const comment = repo.comments.get(id);
    if (!comment) throw notFound();
    return comment;
  }

  // ---------------------------------------------------------------- JSON

  private repoApi(repo: RepoRec): string {
    return `${this.apiBase}/repos/${repo.owner.login}/${repo.name}`;
  }

  private repoHtml(repo: RepoRec): string {
    return `https://github.com/${repo.owner.login}/${repo.name}`;
  }

  userJson(u: UserRef): UserJson {
    return {
      login: u.login,
      id: u.id,
      node_id: nodeId(u.type === "Bot" ? "Bot" : u.type === "Organization" ? "Organization" : "User", u.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: "",
      url: `${this.apiBase}/users/${encodeURIComponent(u.login)}`,
      html_url: u.type === "Bot" ? `https://github.com/apps/${this.opts.slug}` : `https://github.com/${u.login}`,
      type: u.type,
      user_view_type: "public",
      site_admin: false,
    };
  }

  appJson(): AppJson {
    return {
      id: Number(this.opts.appId),
      slug: this.opts.slug,
      node_id: nodeId("Integration", this.opts.appId),
      client_id: `Iv1.standin${this.opts.appId}`,
      owner: this.userJson(this.user({ login: this.opts.appOwner, type: "Organization" })),
      name: this.opts.appName,
      description: "",
      external_url: `https://github.com/apps/${this.opts.slug}`,
      html_url: `https://github.com/apps/${this.opts.slug}`,
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
      permissions: { ...this.opts.permissions },
      events: [...this.opts.events],
    };
  }

  installationJson(inst: InstallationRec): Record<string, unknown> {
    return {
      id: inst.id,
      account: this.userJson(inst.account),
      repository_selection: "all",
      access_tokens_url: `${this.apiBase}/app/installations/${inst.id}/access_tokens`,
      repositories_url: `${this.apiBase}/installation/repositories`,
      html_url: `https://github.com/organizations/${inst.account.login}/settings/installations/${inst.id}`,
      app_id: Number(this.opts.appId),
      app_slug: this.opts.slug,
      target_id: inst.account.id,
      target_type: inst.account.type,
      permissions: { ...this.opts.permissions },
      events: [...this.opts.events],
      created_at: inst.createdAt,
      updated_at: inst.createdAt,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    };
  }

  repoJson(repo: RepoRec): RepoJson {
    const api = this.repoApi(repo);
    const openIssues = [...repo.issues.values()].filter((i) => i.state === "open").length;
    return {
      id: repo.id,
      node_id: nodeId("Repository", repo.id),
      name: repo.name,
      full_name: `${repo.owner.login}/${repo.name}`,
      private: repo.private,
      owner: this.userJson(repo.owner),
      html_url: this.repoHtml(repo),
      description: null,
      fork: false,
      url: api,
      issues_url: `${api}/issues{/number}`,
      labels_url: `${api}/labels{/name}`,
      contents_url: `${api}/contents/{+path}`,
      created_at: repo.createdAt,
      updated_at: repo.pushedAt,
      pushed_at: repo.pushedAt,
      homepage: null,
      size: 0,
      stargazers_count: 0,
      watchers_count: 0,
      language: null,
      has_issues: true,
      has_projects: true,
      has_downloads: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      archived: false,
      disabled: false,
      open_issues_count: openIssues,
      license: null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: [],
      visibility: repo.private ? "private" : "public",
      forks: 0,
      open_issues: openIssues,
      watchers: 0,
      default_branch: repo.defaultBranch,
    };
  }

  labelJson(repo: RepoRec, label: LabelRec): LabelJson {
    return {
      id: label.id,
      node_id: nodeId("Label", label.id),
      url: `${this.repoApi(repo)}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      color: label.color,
      default: false,
      description: label.description,
    };
  }

  private rollup(repo: RepoRec, url: string, match: (r: ReactionRec) => boolean): ReactionRollup {
    const r: ReactionRollup = {
      url,
      total_count: 0,
      "+1": 0,
      "-1": 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    };
    for (const reaction of repo.reactions) {
      if (!match(reaction)) continue;
      r.total_count++;
      r[reaction.content]++;
    }
    return r;
  }

  authorAssociation(repo: RepoRec, user: UserRef): string {
    if (user.type === "Bot") return "NONE";
    if (key(user.login) === key(repo.owner.login)) return "OWNER";
    const role = repo.permissions.get(key(user.login));
    if (role && role !== "none") return repo.owner.type === "Organization" ? "MEMBER" : "COLLABORATOR";
    return "NONE";
  }

  issueJson(repo: RepoRec, issue: IssueRec): IssueJson {
    const api = `${this.repoApi(repo)}/issues/${issue.number}`;
    const assignees = issue.assignees.map((u) => this.userJson(u));
    const comments = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).length;
    return {
      url: api,
      repository_url: this.repoApi(repo),
      labels_url: `${api}/labels{/name}`,
      comments_url: `${api}/comments`,
      events_url: `${api}/events`,
      html_url: `${this.repoHtml(repo)}/${issue.pullRequest ? "pull" : "issues"}/${issue.number}`,
      timeline_url: `${api}/timeline`,
      id: issue.id,
      node_id: nodeId("Issue", issue.id),
      number: issue.number,
      title: issue.title,
      user: this.userJson(issue.user),
      labels: issue.labelKeys.flatMap((k) => {
        const label = repo.labels.get(k);
        return label ? [this.labelJson(repo, label)] : [];
      }),
      state: issue.state,
      state_reason: issue.stateReason,
      locked: issue.locked,
      active_lock_reason: null,
      assignee: assignees[0] ?? null,
      assignees,
      milestone: null,
      comments,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      closed_by: issue.closedBy ? this.userJson(issue.closedBy) : null,
      author_association: this.authorAssociation(repo, issue.user),
      body: issue.body,
      reactions: this.rollup(repo, `${api}/reactions`, (r) => r.subject.kind === "issue" && r.subject.number === issue.number),
      performed_via_github_app: issue.viaApp ? this.appJson() : null,
      type: null,
      ...(issue.pullRequest
        ? {
            pull_request: {
              url: `${this.repoApi(repo)}/pulls/${issue.number}`,
              html_url: `${this.repoHtml(repo)}/pull/${issue.number}`,
              diff_url: `${this.repoHtml(repo)}/pull/${issue.number}.diff`,
              patch_url: `${this.repoHtml(repo)}/pull/${issue.number}.patch`,
              merged_at: null,
            },
          }
        : {}),
    };
  }

  commentJson(repo: RepoRec, comment: CommentRec): CommentJson {
    const api = `${this.repoApi(repo)}/issues/comments/${comment.id}`;
    return {
      url: api,
      html_url: `${this.repoHtml(repo)}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${this.repoApi(repo)}/issues/${comment.issueNumber}`,
      id: comment.id,
      node_id: nodeId("IssueComment", comment.id),
      user: this.userJson(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      body: comment.body,
      author_association: this.authorAssociation(repo, comment.user),
      reactions: this.rollup(repo, `${api}/reactions`, (r) => r.subject.kind === "comment" && r.subject.id === comment.id),
      performed_via_github_app: comment.viaApp ? this.appJson() : null,
    };
  }

  reactionJson(reaction: ReactionRec): ReactionJson {
    return {
      id: reaction.id,
      node_id: nodeId("Reaction", reaction.id),
      user: this.userJson(reaction.user),
      content: reaction.content,
      created_at: reaction.createdAt,
    };
  }

  // ---------------------------------------------------------------- webhooks

  private envelope(repo: RepoRec, actor: Actor, body: Record<string, unknown>): WebhookPayload {
    const inst = this.installations.get(repo.installationId);
    const payload: WebhookPayload = { ...body, repository: this.repoJson(repo) };
    if (repo.owner.type === "Organization") {
      payload.organization = {
        login: repo.owner.login,
        id: repo.owner.id,
        node_id: nodeId("Organization", repo.owner.id),
        url: `${this.apiBase}/orgs/${repo.owner.login}`,
        description: null,
      };
    }
    payload.sender = this.userJson(actor.user);
    if (inst) payload.installation = { id: inst.id, node_id: nodeId("IntegrationInstallation", inst.id) };
    return payload;
  }

  private issuesEvent(repo: RepoRec, issue: IssueRec, actor: Actor, action: string, extra: Record<string, unknown> = {}): WorldEvent {
    return {
      event: "issues",
      action,
      payload: this.envelope(repo, actor, { action, issue: this.issueJson(repo, issue), ...extra }),
    };
  }

  private commentEvent(repo: RepoRec, issue: IssueRec, comment: CommentRec, actor: Actor, action: string, extra: Record<string, unknown> = {}): WorldEvent {
    return {
      event: "issue_comment",
      action,
      payload: this.envelope(repo, actor, {
        action,
        issue: this.issueJson(repo, issue),
        comment: this.commentJson(repo, comment),
        ...extra,
      }),
    };
  }

  // ---------------------------------------------------------------- labels

  findLabel(repo: RepoRec, name: string): LabelRec | undefined {
    return repo.labels.get(key(name));
  }

  /** Create a repository label. With a null actor (test setup) no webhook is produced. */
  createLabel(
    repo: RepoRec,
    actor: Actor | null,
    spec: { name: string; color?: string; description?: string | null },
  ): { label: LabelRec; events: WorldEvent[] } {
    const name = spec.name.trim();
    if (!name) throw validationFailed([{ resource: "Label", code: "missing_field", field: "name" }]);
    if (repo.labels.has(key(name))) {
      throw validationFailed([{ resource: "Label", code: "already_exists", field: "name" }]);
    }
    const label: LabelRec = {
      id: ++this.seq.label,
      name,
      color: normalizeColor(spec.color ?? "ededed"),
      description: spec.description ?? null,
    };
    repo.labels.set(key(name), label);
    const events: WorldEvent[] = actor
      ? [{ event: "label", action: "created", payload: this.envelope(repo, actor, { action: "created", label: this.labelJson(repo, label) }) }]
      : [];
    return { label, events };
  }

  updateLabel(
    repo: RepoRec,
    actor: Actor,
    name: string,
    patch: { new_name?: string; color?: string; description?: string | null },
  ): { label: LabelRec; events: WorldEvent[] } {
    const label = repo.labels.get(key(name));
    if (!label) throw notFound();
    const changes: Record<string, { from: unknown }> = {};
    if (patch.new_name !== undefined && patch.new_name !== label.name) {
      if (key(patch.new_name) !== key(label.name) && repo.labels.has(key(patch.new_name))) {
        throw validationFailed([{ resource: "Label", code: "already_exists", field: "name" }]);
      }
      changes.name = { from: label.name };
      const oldKey = key(label.name);
      repo.labels.delete(oldKey);
      label.name = patch.new_name;
      repo.labels.set(key(label.name), label);
      for (const issue of repo.issues.values()) {
        issue.labelKeys = issue.labelKeys.map((k) => (k === oldKey ? key(label.name) : k));
      }
    }
    if (patch.color !== undefined && normalizeColor(patch.color) !== label.color) {
      changes.color = { from: label.color };
      label.color = normalizeColor(patch.color);
    }
    if (patch.description !== undefined && patch.description !== label.description) {
      changes.description = { from: label.description };
      label.description = patch.description;
    }
    return {
      label,
      events: [{ event: "label", action: "edited", payload: this.envelope(repo, actor, { action: "edited", label: this.labelJson(repo, label), changes }) }],
    };
  }

  deleteLabel(repo: RepoRec, actor: Actor, name: string): WorldEvent[] {
    const label = repo.labels.get(key(name));
    if (!label) throw notFound();
    repo.labels.delete(key(name));
    for (const issue of repo.issues.values()) issue.labelKeys = issue.labelKeys.filter((k) => k !== key(name));
    return [{ event: "label", action: "deleted", payload: this.envelope(repo, actor, { action: "deleted", label: this.labelJson(repo, label) }) }];
  }

  /**
   * Add labels to an issue. Unknown labels are created (color ededed) when
   * `createMissing`, as the REST API does; otherwise they are skipped.
   */
  addLabels(repo: RepoRec, issue: IssueRec, actor: Actor, names: string[], createMissing: boolean): WorldEvent[] {
    const events: WorldEvent[] = [];
    const added: LabelRec[] = [];
    for (const raw of names) {
      const name = raw.trim();
      if (!name) continue;
      let label = repo.labels.get(key(name));
      if (!label) {
        if (!createMissing) continue;
        const created = this.createLabel(repo, actor, { name });
        label = created.label;
        events.push(...created.events);
      }
      if (issue.labelKeys.includes(key(label.name))) continue;
      issue.labelKeys.push(key(label.name));
      added.push(label);
    }
    if (added.length) issue.updatedAt = this.now();
    for (const label of added) {
      events.push(this.issuesEvent(repo, issue, actor, "labeled", { label: this.labelJson(repo, label) }));
    }
    return events;
  }

  removeLabel(repo: RepoRec, issue: IssueRec, actor: Actor, name: string): WorldEvent[] {
    const label = repo.labels.get(key(name));
    if (!label || !issue.labelKeys.includes(key(label.name))) throw notFound("Label does not exist");
    issue.labelKeys = issue.labelKeys.filter((k) => k !== key(label.name));
    issue.updatedAt = this.now();
    return [this.issuesEvent(repo, issue, actor, "unlabeled", { label: this.labelJson(repo, label) })];
  }

  setLabels(repo: RepoRec, issue: IssueRec, actor: Actor, names: string[]): WorldEvent[] {
    const wanted = new Set(names.map((n) => key(n.trim())).filter(Boolean));
    const events: WorldEvent[] = [];
    for (const k of [...issue.labelKeys]) {
      if (!wanted.has(k)) {
        const label = repo.labels.get(k);
        if (label) events.push(...this.removeLabel(repo, issue, actor, label.name));
      }
    }
    events.push(...this.addLabels(repo, issue, actor, names, true));
    return events;
  }

  // ---------------------------------------------------------------- issues

  createIssue(
    repo: RepoRec,
    actor: Actor,
    input: { title: string; body?: string | null; labels?: string[]; assignees?: string[]; createMissingLabels: boolean },
  ): { issue: IssueRec; events: WorldEvent[] } {
    if (!input.title || !String(input.title).trim()) {
      throw validationFailed([{ resource: "Issue", code: "missing_field", field: "title" }]);
    }
    const now = this.now();
    const issue: IssueRec = {
      id: ++this.seq.issue,
      number: repo.nextNumber++,
      title: String(input.title),
      body: input.body ?? null,
      user: actor.user,
      labelKeys: [],
      state: "open",
      stateReason: null,
      locked: false,
      assignees: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      viaApp: actor.viaApp,
    };
    repo.issues.set(issue.number, issue);
    // Labels and assignees are part of the issue when "opened" is sent; GitHub
    // then sends one "labeled"/"assigned" per label/assignee.
    const labelEvents = this.addLabels(repo, issue, actor, input.labels ?? [], input.createMissingLabels);
    const assignEvents = this.assign(repo, issue, actor, input.assignees ?? []);
    issue.updatedAt = now;
    const opened = this.issuesEvent(repo, issue, actor, "opened");
    const labelCreated = labelEvents.filter((e) => e.event === "label");
    const rest = labelEvents.filter((e) => e.event !== "label");
    // Payload snapshots of labeled/assigned events were taken before all were
    // applied; refresh them so each carries the issue as created.
    const refresh = (e: WorldEvent): WorldEvent => ({ ...e, payload: { ...e.payload, issue: this.issueJson(repo, issue) } });
    return { issue, events: [...labelCreated, opened, ...rest.map(refresh), ...assignEvents.map(refresh)] };
  }

  /** A pull request as a person opens it (from a branch, or from the fork `headRepo`): sends pull_request.opened. */
  createPullRequest(repo: RepoRec, actor: Actor, input: { title: string; body?: string | null; files: string[]; headRepo?: string }): { issue: IssueRec; events: WorldEvent[] } {
    const { issue } = this.createIssue(repo, actor, { title: input.title, body: input.body ?? null, createMissingLabels: false });
    issue.pullRequest = true;
    issue.files = [...input.files];
    issue.headRepo = input.headRepo;
    return { issue, events: [this.pullRequestEvent(repo, issue, actor, "opened")] };
  }

  /** New commits on a pull request's head: its changed files are now `files`; sends pull_request.synchronize. */
  synchronizePullRequest(repo: RepoRec, issue: IssueRec, actor: Actor, files: string[]): WorldEvent[] {
    if (!issue.pullRequest) throw notFound();
    issue.files = [...files];
    issue.updatedAt = this.now();
    return [this.pullRequestEvent(repo, issue, actor, "synchronize")];
  }

  /** The pull request object of REST and webhooks, with the fields that tell base from head. */
  pullRequestJson(repo: RepoRec, issue: IssueRec): Record<string, unknown> {
    const head = issue.headRepo ?? `${repo.owner.login}/${repo.name}`;
    return {
      url: `${this.repoApi(repo)}/pulls/${issue.number}`,
      id: issue.id,
      node_id: nodeId("PullRequest", issue.id),
      html_url: `${this.repoHtml(repo)}/pull/${issue.number}`,
      number: issue.number,
      state: issue.state,
      title: issue.title,
      body: issue.body,
      user: this.userJson(issue.user),
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      head: { label: `${head.split("/")[0]}:feature`, ref: "feature", sha: gitBlobSha(`${issue.number}:${(issue.files ?? []).join(",")}`), repo: { full_name: head, fork: issue.headRepo !== undefined } },
      base: { label: `${repo.owner.login}:${repo.defaultBranch}`, ref: repo.defaultBranch, repo: this.repoJson(repo) },
      changed_files: issue.files?.length ?? 0,
    };
  }

  private pullRequestEvent(repo: RepoRec, issue: IssueRec, actor: Actor, action: string): WorldEvent {
    return { event: "pull_request", action, payload: this.envelope(repo, actor, { action, number: issue.number, pull_request: this.pullRequestJson(repo, issue) }) };
  }

  assign(repo: RepoRec, issue: IssueRec, actor: Actor, logins: string[]): WorldEvent[] {
    const events: WorldEvent[] = [];
    for (const login of logins) {
      const user = this.user(login);
      if (issue.assignees.some((a) => a.id === user.id)) continue;
      issue.assignees.push(user);
      issue.updatedAt = this.now();
      events.push(this.issuesEvent(repo, issue, actor, "assigned", { assignee: this.userJson(user) }));
    }
    return events;
  }

  unassign(repo: RepoRec, issue: IssueRec, actor: Actor, logins: string[]): WorldEvent[] {
    const events: WorldEvent[] = [];
    for (const login of logins) {
      const user = this.user(login);
      if (!issue.assignees.some((a) => a.id === user.id)) continue;
      issue.assignees = issue.assignees.filter((a) => a.id !== user.id);
      issue.updatedAt = this.now();
      events.push(this.issuesEvent(repo, issue, actor, "unassigned", { assignee: this.userJson(user) }));
    }
    return events;
  }

  updateIssue(
    repo: RepoRec,
    issue: IssueRec,
    actor: Actor,
    patch: {
      title?: unknown;
      body?: unknown;
      state?: unknown;
      state_reason?: unknown;
      labels?: unknown;
      assignees?: unknown;
    },
  ): WorldEvent[] {
    if (patch.state !== undefined && patch.state !== "open" && patch.state !== "closed") {
      throw validationFailed([{ resource: "Issue", code: "invalid", field: "state" }]);
    }
    if (
      patch.state_reason !== undefined &&
      patch.state_reason !== null &&
      !["completed", "not_planned", "reopened", "duplicate"].includes(String(patch.state_reason))
    ) {
      throw validationFailed([{ resource: "Issue", code: "invalid", field: "state_reason" }]);
    }
    if (patch.title !== undefined && (typeof patch.title !== "string" || !patch.title.trim())) {
      throw validationFailed([{ resource: "Issue", code: "missing_field", field: "title" }]);
    }
    const events: WorldEvent[] = [];
    const changes: Record<string, { from: unknown }> = {};
    if (typeof patch.title === "string" && patch.title !== issue.title) {
      changes.title = { from: issue.title };
      issue.title = patch.title;
    }
    if (patch.body !== undefined && (patch.body === null || typeof patch.body === "string") && patch.body !== issue.body) {
      changes.body = { from: issue.body ?? "" };
      issue.body = patch.body;
    }
    if (Object.keys(changes).length) {
      issue.updatedAt = this.now();
      events.push(this.issuesEvent(repo, issue, actor, "edited", { changes }));
    }
    if (Array.isArray(patch.labels)) {
      events.push(...this.setLabels(repo, issue, actor, labelNames(patch.labels)));
    }
    if (Array.isArray(patch.assignees)) {
      const wanted = patch.assignees.map(String);
      const remove = issue.assignees.filter((a) => !wanted.some((w) => key(w) === key(a.login))).map((a) => a.login);
      events.push(...this.unassign(repo, issue, actor, remove), ...this.assign(repo, issue, actor, wanted));
    }
    const reason = patch.state_reason as IssueJson["state_reason"] | undefined;
    if (patch.state === "closed" && issue.state === "open") {
      events.push(...this.close(repo, issue, actor, reason ?? "completed"));
    } else if (patch.state === "open" && issue.state === "closed") {
      events.push(...this.reopen(repo, issue, actor));
    } else if (reason !== undefined && issue.state === "closed" && reason !== issue.stateReason && reason !== "reopened") {
      issue.stateReason = reason;
      issue.updatedAt = this.now();
    }
    return events;
  }

  close(repo: RepoRec, issue: IssueRec, actor: Actor, reason: IssueJson["state_reason"]): WorldEvent[] {
    if (issue.state === "closed") return [];
    const now = this.now();
    issue.state = "closed";
    issue.stateReason = reason ?? "completed";
    issue.closedAt = now;
    issue.closedBy = actor.user;
    issue.updatedAt = now;
    return [this.issuesEvent(repo, issue, actor, "closed")];
  }

  reopen(repo: RepoRec, issue: IssueRec, actor: Actor): WorldEvent[] {
    if (issue.state === "open") return [];
    issue.state = "open";
    issue.stateReason = "reopened";
    issue.closedAt = null;
    issue.closedBy = null;
    issue.updatedAt = this.now();
    return [this.issuesEvent(repo, issue, actor, "reopened")];
  }

  // ---------------------------------------------------------------- comments

  createComment(repo: RepoRec, issue: IssueRec, actor: Actor, body: unknown): { comment: CommentRec; events: WorldEvent[] } {
    if (typeof body !== "string" || body === "") {
      throw validationFailed([{ resource: "IssueComment", code: "missing_field", field: "body" }]);
    }
    const now = this.now();
    const comment: CommentRec = {
      id: ++this.seq.comment,
      issueNumber: issue.number,
      body,
      user: actor.user,
      createdAt: now,
      updatedAt: now,
      viaApp: actor.viaApp,
    };
    repo.comments.set(comment.id, comment);
    issue.updatedAt = now;
    return { comment, events: [this.commentEvent(repo, issue, comment, actor, "created")] };
  }

  updateComment(repo: RepoRec, comment: CommentRec, actor: Actor, body: unknown): WorldEvent[] {
    if (typeof body !== "string" || body === "") {
      throw validationFailed([{ resource: "IssueComment", code: "missing_field", field: "body" }]);
    }
    if (body === comment.body) return [];
    const from = comment.body;
    comment.body = body;
    comment.updatedAt = this.now();
    const issue = this.requireIssue(repo, comment.issueNumber);
    return [this.commentEvent(repo, issue, comment, actor, "edited", { changes: { body: { from } } })];
  }

  deleteComment(repo: RepoRec, comment: CommentRec, actor: Actor): WorldEvent[] {
    const issue = this.requireIssue(repo, comment.issueNumber);
    repo.comments.delete(comment.id);
    repo.reactions = repo.reactions.filter((r) => !(r.subject.kind === "comment" && r.subject.id === comment.id));
    return [this.commentEvent(repo, issue, comment, actor, "deleted")];
  }

  // ---------------------------------------------------------------- reactions

  addReaction(repo: RepoRec, actor: Actor, subject: ReactionRec["subject"], content: unknown): { reaction: ReactionRec; created: boolean } {
    if (typeof content !== "string" || !(REACTION_CONTENTS as readonly string[]).includes(content)) {
      throw validationFailed([{ resource: "Reaction", code: "invalid", field: "content" }]);
    }
    const existing = repo.reactions.find(
      (r) =>
        r.user.id === actor.user.id &&
        r.content === content &&
        r.subject.kind === subject.kind &&
        (r.subject.kind === "issue"
          ? subject.kind === "issue" && r.subject.number === subject.number
          : subject.kind === "comment" && r.subject.id === subject.id),
    );
    if (existing) return { reaction: existing, created: false };
    const reaction: ReactionRec = {
      id: ++this.seq.reaction,
      content: content as ReactionContent,
      user: actor.user,
      createdAt: this.now(),
      subject,
    };
    repo.reactions.push(reaction);
    return { reaction, created: true };
  }

  // ---------------------------------------------------------------- files

  pushFiles(repo: RepoRec, actor: Actor, files: Record<string, string | null>, message: string): WorldEvent[] {
    const added: string[] = [];
    const modified: string[] = [];
    const removed: string[] = [];
    for (const [rawPath, content] of Object.entries(files)) {
      const path = normalizePath(rawPath);
      const had = repo.files.has(path);
      if (content === null) {
        if (had) {
          repo.files.delete(path);
          removed.push(path);
        }
      } else if (!had) {
        repo.files.set(path, content);
        added.push(path);
      } else if (repo.files.get(path) !== content) {
        repo.files.set(path, content);
        modified.push(path);
      }
    }
    const before = repo.headSha;
    const after = randomSha();
    repo.headSha = after;
    const timestamp = this.now();
    repo.pushedAt = timestamp;
    const person = { name: actor.user.login, email: `${actor.user.id}+${actor.user.login}@users.noreply.github.com`, username: actor.user.login };
    const commit = {
      id: after,
      tree_id: randomSha(),
      distinct: true,
      message,
      timestamp,
      url: `${this.repoHtml(repo)}/commit/${after}`,
      author: person,
      committer: person,
      added,
      removed,
      modified,
    };
    const ref = `refs/heads/${repo.defaultBranch}`;
    const payload = this.envelope(repo, actor, {
      ref,
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `${this.repoHtml(repo)}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits: [commit],
      head_commit: commit,
      pusher: { name: person.name, email: person.email },
    });
    return [{ event: "push", payload }];
  }

  refMatches(repo: RepoRec, ref: string | null): boolean {
    if (ref === null || ref === "") return true;
    const r = ref.replace(/^refs\//, "").replace(/^heads\//, "");
    return r === repo.defaultBranch || ref === repo.headSha;
  }
}

export function normalizePath(path: string): string {
  return path.replace(/^\/+/, "").replace(/\/+$/, "");
}

/** Label lists come as ["a", "b"] or [{ name: "a" }]. */
export function labelNames(input: unknown): string[] {
  if (!Array.isArray(input)) return [];
  return input.flatMap((l) => {
    if (typeof l === "string") return [l];
    if (l && typeof l === "object" && typeof (l as { name?: unknown }).name === "string") return [(l as { name: string }).name];
    return [];
  });
}
