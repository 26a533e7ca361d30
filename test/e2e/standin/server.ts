// A small, stateful stand-in for GitHub's REST API (GHE-style, under /api/v3)
// on 127.0.0.1, which authenticates like GitHub App auth and sends signed
// webhooks for every state change. See test/e2e/standin.test.ts for use.
import { createHash, createHmac, randomBytes, randomUUID, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GRAPHQL_OPERATION, GRAPHQL_PATHS, graphqlHandler, summarizeGraphql } from "./graphql.js";
import { handlers as builtinHandlers, type Handler, type HandlerContext, type Reply } from "./handlers.js";
import { looksLikeJwt, toPublicKey, verifyAppJwt } from "./jwt.js";
import { HttpError, isoSeconds, normalizePath, World, type RepoRec } from "./model.js";
import { isAppLevelTemplate, loadOperations, matchOperation, type Operation } from "./routes.js";
import type {
  CallRecord,
  CommentJson,
  DeliveryRecord,
  Fault,
  FaultSpec,
  IssueJson,
  LabelJson,
  ReactionJson,
  Role,
  UserLike,
  WebhookPayload,
  WorldEvent,
} from "./types.js";

export type * from "./types.js";
export type { Handler, HandlerContext, Reply } from "./handlers.js";
export { paginate } from "./handlers.js";
export { GRAPHQL_ROUTE, githubSchema } from "./graphql.js";
export { HttpError, notFound, validationFailed } from "./model.js";

export const API_PREFIX = "/api/v3";
export const NO_SUCH_OPERATION = "Not Found (no such operation in GitHub's REST API)";

export interface StandinOptions {
  appId: number | string;
  /** The app's RSA public key (PEM or KeyObject); a private key PEM works too. */
  publicKey: string | KeyObject;
  /** App slug; the bot user is `${slug}[bot]`. Default "postmortem-bot". */
  slug?: string;
  appName?: string;
  /** Owner login of the app. Default "postmortem-bot-dev". */
  appOwner?: string;
  /** Stable id of the `${slug}[bot]` user. */
  botUserId?: number;
  webhookUrl?: string;
  webhookSecret?: string;
  webhooksEnabled?: boolean;
  /** Only send these webhook events (the app's subscription); default every event. */
  events?: string[];
  /** Installation token permissions reported by the stand-in. */
  permissions?: Record<string, string>;
  /**
   * "concurrent" (default, like GitHub): deliveries go out as they are made
   * without waiting for earlier ones to be answered. "serial": one at a time.
   */
  deliveryMode?: "concurrent" | "serial";
  /** Give up on a webhook delivery after this long (ms). Default 30 000. */
  deliveryTimeoutMs?: number;
  /** Clock for created_at/updated_at/closed_at (tokens and JWTs always use real time). */
  now?: () => Date;
  /** Extra or replacement handlers: "METHOD /template" -> handler. Keys must be real operations. */
  handlers?: Record<string, Handler>;
  /** User for human actions when none is given. Default "octocat". */
  defaultUser?: UserLike;
}

export interface Mark {
  calls: number;
  deliveries: number;
}

export interface CallFilter {
  /** Only calls made with an installation token (not token creation / GET /app). */
  installationOnly?: boolean;
  writesOnly?: boolean;
  /** Leave out 304 answers (GitHub does not count them against the rate limit). */
  excludeNotModified?: boolean;
  route?: string;
}

interface TokenRec {
  installationId: number;
  expiresAt: number;
  repoNames?: string[];
}

interface Identity {
  kind: CallRecord["auth"];
  installationId?: number;
  token?: TokenRec;
  error?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const DEFAULT_PERMISSIONS = { issues: "write", contents: "read", metadata: "read" };
const DEFAULT_EVENTS = ["issues", "issue_comment", "label", "push"];
const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomToken(prefix: string): string {
  const bytes = randomBytes(36);
  let s = prefix;
  for (const b of bytes) s += BASE62[b % 62];
  return s;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (t: string): string => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => t.trim() === "*" || strip(t) === strip(etag));
}

export class Standin {
  readonly url: string;
  readonly host: string;
  readonly apiBase: string;
  readonly calls: CallRecord[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  webhooksEnabled: boolean;
  deliveryMode: "concurrent" | "serial";
  readonly world: World;

  private webhookUrl: string | undefined;
  private webhookSecret: string | undefined;
  private readonly publicKey: KeyObject;
  private readonly appId: string;
  private readonly operations: Operation[];
  private readonly handlers = new Map<string, Handler>();
  private readonly tokens = new Map<string, TokenRec>();
  private readonly faults: Fault[] = [];
  /** Points used, by `${resource}:${installationId}` (resources "core" and "graphql", as on GitHub). */
  private readonly rateUsed = new Map<string, number>();
  private readonly rateReset = Math.floor(Date.now() / 1000) + 3600;
  private readonly deliveryTimeoutMs: number;
  private readonly defaultUser: UserLike;
  private readonly subscribedEvents: Set<string> | undefined;
  private inflight = 0;
  private pendingDeliveries = 0;
  private activity = 0;
  private serialChain: Promise<void> = Promise.resolve();
  private callSeq = 0;

  constructor(
    private readonly server: Server,
    options: StandinOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.host = `127.0.0.1:${port}`;
    this.url = `http://${this.host}`;
    this.apiBase = `${this.url}${API_PREFIX}`;
    this.appId = String(options.appId);
    this.publicKey = toPublicKey(options.publicKey);
    this.webhookUrl = options.webhookUrl;
    this.webhookSecret = options.webhookSecret;
    this.webhooksEnabled = options.webhooksEnabled ?? true;
    this.deliveryMode = options.deliveryMode ?? "concurrent";
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 30_000;
    this.defaultUser = options.defaultUser ?? "octocat";
    const slug = options.slug ?? "postmortem-bot";
    this.world = new World({
      appId: this.appId,
      slug,
      appName: options.appName ?? slug,
      appOwner: options.appOwner ?? "postmortem-bot-dev",
      botUserId: options.botUserId ?? 41_000_000 + (Number(this.appId) % 1_000_000 || 1),
      permissions: options.permissions ?? DEFAULT_PERMISSIONS,
      events: options.events ?? DEFAULT_EVENTS,
      now: options.now ?? (() => new Date()),
    });
    this.world.apiBase = this.apiBase;
    this.subscribedEvents = options.events ? new Set(options.events) : undefined;
    this.operations = loadOperations();
    const known = new Set(this.operations.map((o) => o.key));
    for (const [k, h] of Object.entries({ ...builtinHandlers, ...(options.handlers ?? {}) })) {
      if (!known.has(k)) throw new Error(`stand-in: handler "${k}" is not an operation of GitHub's REST API`);
      this.handlers.set(k, h);
    }
    server.on("request", (req, res) => {
      void this.onRequest(req, res);
    });
  }

  /** The app's bot user login, `${slug}[bot]`. */
  get botLogin(): string {
    return this.world.bot.login;
  }

  get botUserId(): number {
    return this.world.bot.id;
  }

  /** Every operation template the stand-in knows ("METHOD /template"). */
  get operationKeys(): string[] {
    return this.operations.map((o) => o.key);
  }

  /** The operations with a handler ("METHOD /template"). */
  get implemented(): string[] {
    return [...this.handlers.keys()];
  }

  /** Add or replace the handler of a real operation. */
  implement(route: string, handler: Handler): void {
    if (!this.operations.some((o) => o.key === route)) {
      throw new Error(`stand-in: "${route}" is not an operation of GitHub's REST API`);
    }
    this.handlers.set(route, handler);
  }

  // ================================================================ setup

  setWebhookTarget(url: string, secret: string): void {
    this.webhookUrl = url;
    this.webhookSecret = secret;
  }

  addInstallation(input: { id: number; account: string; accountType?: "Organization" | "User" }): void {
    this.world.addInstallation(input.id, input.account, input.accountType ?? "Organization");
  }

  addRepo(input: {
    owner: string;
    name: string;
    private?: boolean;
    default_branch?: string;
    installationId: number;
    files?: Record<string, string>;
    labels?: Array<string | { name: string; color?: string; description?: string | null }>;
  }): void {
    this.world.addRepo(input);
  }

  /** Set a file on the default branch (no webhook; see pushFiles). */
  setFile(owner: string, repo: string, path: string, content: string): void {
    this.world.requireRepo(owner, repo).files.set(normalizePath(path), content);
  }

  deleteFile(owner: string, repo: string, path: string): void {
    this.world.requireRepo(owner, repo).files.delete(normalizePath(path));
  }

  file(owner: string, repo: string, path: string): string | undefined {
    return this.world.requireRepo(owner, repo).files.get(normalizePath(path));
  }

  /** Create a repository label as setup (no webhook). */
  createLabel(owner: string, repo: string, spec: { name: string; color?: string; description?: string | null }): LabelJson {
    const r = this.world.requireRepo(owner, repo);
    return this.world.labelJson(r, this.world.createLabel(r, null, spec).label);
  }

  setPermission(owner: string, repo: string, user: string, role: Role): void {
    this.world.user(user);
    this.world.requireRepo(owner, repo).permissions.set(user.toLowerCase(), role);
  }

  /** Mint an installation token without the JWT exchange (for direct calls in tests). */
  createInstallationToken(installationId: number): string {
    if (!this.world.installations.has(installationId)) throw new Error(`stand-in: no installation ${installationId}`);
    return this.issueToken(installationId).token;
  }

  // ================================================================ acting as a human

  private act(owner: string, repo: string, user: UserLike | undefined): { r: RepoRec; actor: ReturnType<World["human"]> } {
    return { r: this.world.requireRepo(owner, repo), actor: this.world.human(user ?? this.defaultUser) };
  }

  /**
   * Open an issue as a person: sends issues.opened, then one issues.labeled
   * per label (as for an issue form with labels). Labels that do not exist in
   * the repository are dropped, as GitHub does for issue forms.
   */
  async openIssue(input: {
    owner: string;
    repo: string;
    title: string;
    body?: string | null;
    labels?: string[];
    assignees?: string[];
    user?: UserLike;
  }): Promise<IssueJson> {
    const { r, actor } = this.act(input.owner, input.repo, input.user);
    const { issue, events } = this.world.createIssue(r, actor, {
      title: input.title,
      body: input.body ?? null,
      labels: input.labels ?? [],
      assignees: input.assignees ?? [],
      createMissingLabels: false,
    });
    this.queueEvents(events);
    return this.world.issueJson(r, issue);
  }

  /** Open a pull request as a person (from the fork `headRepo`, or a branch): sends pull_request.opened. */
  async openPullRequest(input: { owner: string; repo: string; title: string; files: string[]; headRepo?: string; user?: UserLike }): Promise<{ number: number }> {
    const { r, actor } = this.act(input.owner, input.repo, input.user);
    const { issue, events } = this.world.createPullRequest(r, actor, { title: input.title, files: input.files, headRepo: input.headRepo });
    this.queueEvents(events);
    return { number: issue.number };
  }

  /** Push to a pull request's head so that its changed files become `files`: sends pull_request.synchronize. */
  async pushToPullRequest(owner: string, repo: string, number: number, files: string[], user?: UserLike): Promise<void> {
    const { r, actor } = this.act(owner, repo, user);
    this.queueEvents(this.world.synchronizePullRequest(r, this.world.requireIssue(r, number), actor, files));
  }

  async editIssue(owner: string, repo: string, number: number, patch: { title?: string; body?: string | null }, user?: UserLike): Promise<IssueJson> {
    const { r, actor } = this.act(owner, repo, user);
    const issue = this.world.requireIssue(r, number);
    this.queueEvents(this.world.updateIssue(r, issue, actor, patch));
    return this.world.issueJson(r, issue);
  }

  async addLabel(owner: string, repo: string, number: number, name: string, user?: UserLike): Promise<IssueJson> {
    const { r, actor } = this.act(owner, repo, user);
    if (!this.world.findLabel(r, name)) {
      throw new Error(`stand-in: label "${name}" does not exist in ${owner}/${repo}; create it with createLabel() or addRepo({ labels })`);
    }
    const issue = this.world.requireIssue(r, number);
    this.queueEvents(this.world.addLabels(r, issue, actor, [name], false));
    return this.world.issueJson(r, issue);
  }

  async removeLabel(owner: string, repo: string, number: number, name: string, user?: UserLike): Promise<IssueJson> {
    const { r, actor } = this.act(owner, repo, user);
    const issue = this.world.requireIssue(r, number);
    this.queueEvents(this.world.removeLabel(r, issue, actor, name));
    return this.world.issueJson(r, issue);
  }

  async assignIssue(owner: string, repo: string, number: number, logins: string[], user?: UserLike): Promise<IssueJson> {
    const { r, actor } = this.act(owner, repo, user);
    const issue = this.world.requireIssue(r, number);
    this.queueEvents(this.world.assign(r, issue, actor, logins));
    return this.world.issueJson(r, issue);
  }

  async closeIssue(
    owner: string,
    repo: string,
    number: number,
    opts: { reason?: "completed" | "not_planned" } = {},
    user?: UserLike,
  ): Promise<IssueJson> {
    const { r, actor } = this.act(owner, repo, user);
    const issue = this.world.requireIssue(r, number);
    this.queueEvents(this.world.close(r, issue, actor, opts.reason ?? "completed"));
    return this.world.issueJson(r, issue);
  }

  async reopenIssue(owner: string, repo: string, number: number, user?: UserLike): Promise<IssueJson> {
    const { r, actor } = this.act(owner, repo, user);
    const issue = this.world.requireIssue(r, number);
    this.queueEvents(this.world.reopen(r, issue, actor));
    return this.world.issueJson(r, issue);
  }

  async comment(owner: string, repo: string, number: number, body: string, user?: UserLike): Promise<CommentJson> {
    const { r, actor } = this.act(owner, repo, user);
    const issue = this.world.requireIssue(r, number);
    const { comment, events } = this.world.createComment(r, issue, actor, body);
    this.queueEvents(events);
    return this.world.commentJson(r, comment);
  }

  async editComment(owner: string, repo: string, commentId: number, body: string, user?: UserLike): Promise<CommentJson> {
    const { r, actor } = this.act(owner, repo, user);
    const comment = this.world.requireComment(r, commentId);
    this.queueEvents(this.world.updateComment(r, comment, actor, body));
    return this.world.commentJson(r, comment);
  }

  async deleteComment(owner: string, repo: string, commentId: number, user?: UserLike): Promise<void> {
    const { r, actor } = this.act(owner, repo, user);
    const comment = this.world.requireComment(r, commentId);
    this.queueEvents(this.world.deleteComment(r, comment, actor));
  }

  /** Push to the default branch: files set (string) or removed (null); sends `push`. */
  async pushFiles(
    owner: string,
    repo: string,
    files: Record<string, string | null>,
    opts: { sender?: UserLike; message?: string } = {},
  ): Promise<void> {
    const { r, actor } = this.act(owner, repo, opts.sender);
    this.queueEvents(this.world.pushFiles(r, actor, files, opts.message ?? "Update files"));
  }

  // ================================================================ readers

  issue(owner: string, repo: string, number: number): IssueJson | undefined {
    const r = this.world.requireRepo(owner, repo);
    const issue = r.issues.get(number);
    return issue && this.world.issueJson(r, issue);
  }

  issues(owner: string, repo: string): IssueJson[] {
    const r = this.world.requireRepo(owner, repo);
    return [...r.issues.values()].sort((a, b) => a.number - b.number).map((i) => this.world.issueJson(r, i));
  }

  comments(owner: string, repo: string, number: number): CommentJson[] {
    const r = this.world.requireRepo(owner, repo);
    return [...r.comments.values()]
      .filter((c) => c.issueNumber === number)
      .sort((a, b) => a.id - b.id)
      .map((c) => this.world.commentJson(r, c));
  }

  getComment(owner: string, repo: string, commentId: number): CommentJson | undefined {
    const r = this.world.requireRepo(owner, repo);
    const c = r.comments.get(commentId);
    return c && this.world.commentJson(r, c);
  }

  labels(owner: string, repo: string): LabelJson[] {
    const r = this.world.requireRepo(owner, repo);
    return [...r.labels.values()].sort((a, b) => a.id - b.id).map((l) => this.world.labelJson(r, l));
  }

  reactions(owner: string, repo: string, subject: { issue: number } | { comment: number }): ReactionJson[] {
    const r = this.world.requireRepo(owner, repo);
    return r.reactions
      .filter((x) =>
        "issue" in subject
          ? x.subject.kind === "issue" && x.subject.number === subject.issue
          : x.subject.kind === "comment" && x.subject.id === subject.comment,
      )
      .map((x) => this.world.reactionJson(x));
  }

  // ================================================================ counting

  mark(): Mark {
    return { calls: this.calls.length, deliveries: this.deliveries.length };
  }

  callsSince(mark: Mark | number = 0, filter: CallFilter = {}): CallRecord[] {
    const from = typeof mark === "number" ? mark : mark.calls;
    return this.calls.slice(from).filter(
      (c) =>
        (!filter.installationOnly || !c.appLevel) &&
        (!filter.writesOnly || c.write) &&
        (!filter.excludeNotModified || !c.notModified) &&
        (!filter.route || c.route === filter.route),
    );
  }

  /** Calls after the mark that the app made as an installation (token creation and GET /app left out). */
  apiCallsSince(mark: Mark | number = 0): CallRecord[] {
    return this.callsSince(mark, { installationOnly: true });
  }

  deliveriesSince(mark: Mark | number = 0): DeliveryRecord[] {
    const from = typeof mark === "number" ? mark : mark.deliveries;
    return this.deliveries.slice(from);
  }

  /** Calls the app made while handling this webhook delivery (Probot sends its id along). */
  callsForDelivery(deliveryId: string): CallRecord[] {
    return this.calls.filter((c) => c.deliveryId === deliveryId);
  }

  /** Calls answered 404 because no such operation exists. */
  get refused(): CallRecord[] {
    return this.calls.filter((c) => c.refused);
  }

  /** "METHOD /template STATUS" lines, handy for exact assertions. */
  describeCalls(calls: CallRecord[] = this.calls): string[] {
    return calls.map((c) => `${c.route ?? `${c.method} ${c.path}`} ${c.status}${c.notModified ? " (not modified)" : ""}`);
  }

  // ================================================================ faults

  injectFault(spec: FaultSpec): Fault {
    const fault: Fault = {
      ...spec,
      hits: 0,
      get remaining() {
        return Math.max(0, this.times - this.hits);
      },
    };
    this.faults.push(fault);
    return fault;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(op: Operation): Fault | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      if (f.route !== undefined) {
        const matches = f.route.includes(" ") ? f.route === op.key : f.route === op.template;
        if (!matches) continue;
      }
      f.hits++;
      return f;
    }
    return undefined;
  }

  // ================================================================ webhooks

  /** Make webhooks for these events and send them (after `after`, if given). */
  private queueEvents(events: WorldEvent[], after?: Promise<void>): void {
    if (!this.webhooksEnabled) return;
    for (const ev of events) {
      if (this.subscribedEvents && !this.subscribedEvents.has(ev.event)) continue;
      const rec = this.newDelivery(ev.event, ev.payload, JSON.stringify(ev.payload), randomUUID(), "auto");
      const start = (): Promise<void> => this.transmit(rec);
      const go = (): void => {
        if (this.deliveryMode === "serial") {
          this.serialChain = this.serialChain.then(start);
        } else {
          void start();
        }
      };
      if (after) void after.then(go);
      else go();
    }
  }

  private newDelivery(event: string, payload: WebhookPayload, body: string, id: string, source: DeliveryRecord["source"]): DeliveryRecord {
    const rec: DeliveryRecord = {
      id,
      event,
      action: typeof payload.action === "string" ? payload.action : undefined,
      status: null,
      payload,
      body,
      signature256: "",
      sentAt: null,
      answeredAt: null,
      pending: true,
      source,
    };
    this.deliveries.push(rec);
    this.pendingDeliveries++;
    this.activity++;
    return rec;
  }

  private async transmit(rec: DeliveryRecord, signatureOverride?: string): Promise<void> {
    try {
      const target = this.webhookUrl;
      if (!target) {
        rec.error = "no webhook target set";
        return;
      }
      const secret = this.webhookSecret ?? "";
      rec.signature256 = signatureOverride ?? `sha256=${createHmac("sha256", secret).update(rec.body).digest("hex")}`;
      rec.sentAt = new Date();
      const res = await fetch(target, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/standin",
          "x-github-event": rec.event,
          "x-github-delivery": rec.id,
          "x-github-hook-id": "1",
          "x-github-hook-installation-target-type": "integration",
          "x-github-hook-installation-target-id": this.appId,
          "x-hub-signature": `sha1=${createHmac("sha1", secret).update(rec.body).digest("hex")}`,
          "x-hub-signature-256": rec.signature256,
        },
        body: rec.body,
        signal: AbortSignal.timeout(this.deliveryTimeoutMs),
      });
      rec.responseBody = await res.text();
      rec.status = res.status;
    } catch (e) {
      rec.status = 0;
      rec.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    } finally {
      rec.pending = false;
      rec.answeredAt = new Date();
      this.pendingDeliveries--;
      this.activity++;
    }
  }

  /**
   * Send an arbitrary delivery now and wait for the answer. `payload` may be a
   * string (sent byte for byte). `signature` replaces the computed
   * X-Hub-Signature-256 value (to test rejection).
   */
  async sendWebhook(
    event: string,
    payload: WebhookPayload | string,
    opts: { deliveryId?: string; signature?: string } = {},
  ): Promise<DeliveryRecord> {
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    const parsed = typeof payload === "string" ? (safeJson(payload) as WebhookPayload) : payload;
    const rec = this.newDelivery(event, parsed, body, opts.deliveryId ?? randomUUID(), "manual");
    await this.transmit(rec, opts.signature);
    return rec;
  }

  /** Re-send a delivery: same body, same delivery id, as GitHub's "Redeliver". */
  async redeliver(deliveryId: string): Promise<DeliveryRecord> {
    const original = this.deliveries.find((d) => d.id === deliveryId);
    if (!original) throw new Error(`stand-in: no delivery ${deliveryId}`);
    const rec = this.newDelivery(original.event, original.payload, original.body, original.id, "redelivery");
    await this.transmit(rec);
    return rec;
  }

  /**
   * Resolve once no delivery is pending, no API request is in flight, and
   * nothing new happened for `quietMs`. Note: Probot answers a delivery 202
   * after 9 s even if its handler still runs; such work is not waited for
   * beyond its API calls.
   */
  async idle(opts: { quietMs?: number; timeoutMs?: number } = {}): Promise<void> {
    const quietMs = opts.quietMs ?? 50;
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    for (;;) {
      while (this.pendingDeliveries > 0 || this.inflight > 0) {
        if (Date.now() > deadline) {
          const pending = this.deliveries.filter((d) => d.pending).map((d) => `${d.event}.${d.action ?? ""} ${d.id}`);
          throw new Error(`stand-in: not idle after ${opts.timeoutMs ?? 60_000} ms; in-flight API requests: ${this.inflight}; pending deliveries: ${pending.join(", ") || "none"}`);
        }
        await sleep(5);
      }
      const seen = this.activity;
      await sleep(quietMs);
      if (seen === this.activity && this.pendingDeliveries === 0 && this.inflight === 0) return;
    }
  }

  async close(): Promise<void> {
    try {
      await this.idle({ timeoutMs: 10_000, quietMs: 0 });
    } catch {
      // close anyway
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ================================================================ HTTP

  private issueToken(installationId: number, repoNames?: string[]): { token: string; expiresAt: string } {
    const token = randomToken("ghs_");
    const expiresAt = Date.now() + 3600_000;
    this.tokens.set(token, { installationId, expiresAt, repoNames });
    return { token, expiresAt: isoSeconds(new Date(expiresAt)) };
  }

  private identify(req: IncomingMessage, op: Operation | undefined): Identity {
    const header = req.headers.authorization;
    if (!header) return { kind: "none", error: "Requires authentication" };
    const m = /^(token|bearer)\s+(\S+)\s*$/i.exec(header);
    if (!m || !m[2]) return { kind: "invalid", error: "Bad credentials" };
    const value = m[2];
    if (op && isAppLevelTemplate(op.template)) {
      if (!looksLikeJwt(value)) return { kind: "invalid", error: "A JSON web token could not be decoded" };
      const result = verifyAppJwt(value, this.publicKey, this.appId);
      if (!result.ok) return { kind: "invalid", error: result.message };
      return { kind: "app" };
    }
    const token = this.tokens.get(value);
    if (!token) {
      return {
        kind: "invalid",
        error: looksLikeJwt(value) ? "Bad credentials (a JWT authenticates as the app; this operation needs an installation token)" : "Bad credentials",
      };
    }
    if (token.expiresAt <= Date.now()) return { kind: "invalid", installationId: token.installationId, error: "Bad credentials (token expired)" };
    return { kind: "installation", installationId: token.installationId, token };
  }

  private commonHeaders(installationId: number | undefined, counted: boolean, resource: "core" | "graphql"): Record<string, string> {
    const headers: Record<string, string> = {
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      "x-github-api-version-selected": "2022-11-28",
      "x-github-media-type": "github.v3; format=json",
    };
    if (installationId !== undefined) {
      const used = (this.rateUsed.get(`${resource}:${installationId}`) ?? 0) + (counted ? 1 : 0);
      this.rateUsed.set(`${resource}:${installationId}`, used);
      Object.assign(headers, {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": String(Math.max(0, 5000 - used)),
        "x-ratelimit-reset": String(this.rateReset),
        "x-ratelimit-used": String(used),
        "x-ratelimit-resource": resource,
      });
    }
    return headers;
  }

  private respond(req: IncomingMessage, res: ServerResponse, rec: CallRecord, reply: Reply): void {
    let status = reply.status ?? 200;
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (reply.text !== undefined) {
      payload = reply.text;
    } else if (reply.body !== undefined && status !== 204) {
      payload = JSON.stringify(reply.body);
      headers["content-type"] = "application/json; charset=utf-8";
    }
    for (const [k, v] of Object.entries(reply.headers ?? {})) headers[k.toLowerCase()] = v;
    if (req.method === "GET" && status === 200 && payload !== undefined) {
      const etag = `W/"${createHash("sha256").update(payload).digest("hex").slice(0, 40)}"`;
      headers.etag = etag;
      const inm = req.headers["if-none-match"];
      if (etagMatches(Array.isArray(inm) ? inm.join(",") : inm, etag)) {
        status = 304;
        payload = undefined;
        delete headers["content-type"];
        rec.notModified = true;
      }
    }
    const resource = rec.route === GRAPHQL_OPERATION.key ? "graphql" : "core";
    Object.assign(headers, this.commonHeaders(rec.installationId, !rec.notModified && rec.auth === "installation", resource), reply.headers ?? {});
    if (rec.notModified) delete headers["content-type"];
    rec.status = status;
    res.writeHead(status, headers);
    res.end(payload);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inflight++;
    this.activity++;
    const method = (req.method ?? "GET").toUpperCase();
    const rec: CallRecord = {
      seq: ++this.callSeq,
      at: new Date(),
      method,
      path: req.url ?? "/",
      route: null,
      status: 0,
      auth: "none",
      appLevel: false,
      write: method !== "GET" && method !== "HEAD",
      notModified: false,
      refused: false,
      unimplemented: false,
      fault: false,
      requestHeaders: redactHeaders(req.headers),
    };
    const causedBy = req.headers["x-github-delivery"];
    if (typeof causedBy === "string") rec.deliveryId = causedBy;
    this.calls.push(rec);
    const events: WorldEvent[] = [];
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", this.url);
      // GraphQL (graphql.ts) lives beside the REST root, at /api/graphql (or /graphql).
      const graphql = method === "POST" && GRAPHQL_PATHS.includes(url.pathname);
      if (!graphql && url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) {
        rec.refused = true;
        throw new HttpError(404, { message: NO_SUCH_OPERATION });
      }
      const path = graphql ? GRAPHQL_OPERATION.template : url.pathname.slice(API_PREFIX.length) || "/";
      rec.path = path + url.search;
      if (graphql) {
        const summary = summarizeGraphql(rawBody);
        rec.write = summary?.operation === "mutation";
        if (summary) rec.graphql = summary;
      }
      const match = graphql ? { operation: GRAPHQL_OPERATION, params: {} } : matchOperation(this.operations, method, path);
      if (!match) {
        rec.refused = true;
        const who = this.identify(req, undefined);
        rec.auth = who.kind;
        rec.installationId = who.installationId;
        throw new HttpError(404, { message: NO_SUCH_OPERATION });
      }
      const op = match.operation;
      rec.route = op.key;
      rec.appLevel = isAppLevelTemplate(op.template);
      const who = this.identify(req, op);
      rec.auth = who.kind;
      rec.installationId = who.installationId;
      if (who.kind === "app" && match.params.installation_id !== undefined) {
        rec.installationId = Number(match.params.installation_id);
      }

      const fault = this.takeFault(op);
      if (fault) {
        rec.fault = true;
        if (fault.delayMs) await sleep(fault.delayMs);
        if (fault.drop) {
          rec.status = 0;
          req.socket.destroy();
          return;
        }
        if (fault.status !== undefined) {
          this.respond(req, res, rec, {
            status: fault.status,
            body: fault.body ?? { message: `stand-in injected fault (${fault.status})` },
            headers: fault.headers,
          });
          return;
        }
      }

      const docs = graphql ? "https://docs.github.com/graphql" : "https://docs.github.com/rest";
      if (who.error) throw new HttpError(401, { message: who.error, documentation_url: docs, status: "401" });

      const handler = graphql ? graphqlHandler : this.handlers.get(op.key);
      if (!handler) {
        rec.unimplemented = true;
        throw new HttpError(501, { message: `stand-in does not implement ${op.key}` });
      }

      let body: unknown;
      if (rawBody.trim()) {
        try {
          body = JSON.parse(rawBody);
        } catch {
          throw new HttpError(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest", status: "400" });
        }
      }

      const world = this.world;
      const canSee = (r: RepoRec): boolean => {
        if (who.kind !== "installation") return true;
        const names = who.token?.repoNames;
        return r.installationId === who.installationId && (!names || names.some((n) => n.toLowerCase() === r.name.toLowerCase()));
      };
      const ctx: HandlerContext = {
        world,
        method,
        route: op.key,
        params: match.params,
        query: url.searchParams,
        body,
        headers: req.headers,
        path,
        apiBase: this.apiBase,
        installationId: who.kind === "installation" ? who.installationId : undefined,
        actor: world.appActor,
        repo: () => {
          const r = world.repo(match.params.owner ?? "", match.params.repo ?? "");
          if (!r || !canSee(r)) throw new HttpError(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
          return r;
        },
        canSee,
        emit: (evs) => {
          events.push(...evs);
        },
        issueToken: (id, names) => this.issueToken(id, names),
      };
      const reply = await handler(ctx);
      if (reply.record?.refused) rec.refused = true;
      if (reply.record?.unimplemented) rec.unimplemented = true;
      this.respond(req, res, rec, reply);
    } catch (e) {
      events.length = 0;
      if (e instanceof HttpError) {
        this.respond(req, res, rec, { status: e.status, body: e.body, headers: e.headers });
      } else {
        console.error("stand-in: handler error", e);
        this.respond(req, res, rec, { status: 500, body: { message: `stand-in error: ${e instanceof Error ? e.message : String(e)}` } });
      }
    } finally {
      // Webhooks for the change go out once the response is on its way.
      if (events.length) {
        const sent = new Promise<void>((resolve) => {
          if (res.writableFinished) resolve();
          else {
            res.once("finish", () => resolve());
            res.once("close", () => resolve());
          }
        });
        this.queueEvents(events, sent);
      }
      this.inflight--;
      this.activity++;
    }
  }
}

function redactHeaders(headers: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(", ") : v;
    out[k] = k === "authorization" ? `${value.split(/\s+/)[0] ?? ""} [redacted]` : value;
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

export async function startStandin(options: StandinOptions): Promise<Standin> {
  const server = createServer();
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  try {
    return new Standin(server, options);
  } catch (e) {
    server.close();
    throw e;
  }
}
