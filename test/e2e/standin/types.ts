// Public shapes of the stand-in: GitHub-like JSON objects and records.

export type Role = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type UserType = "User" | "Bot" | "Organization";

/** A user as the test names it: a login, or a login with a fixed id/type. */
export type UserLike = string | { login: string; id?: number; type?: UserType };

export interface UserJson {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string;
  url: string;
  html_url: string;
  type: UserType;
  user_view_type: string;
  site_admin: boolean;
}

export interface LabelJson {
  id: number;
  node_id: string;
  url: string;
  name: string;
  color: string;
  default: boolean;
  description: string | null;
}

export interface ReactionRollup {
  url: string;
  total_count: number;
  "+1": number;
  "-1": number;
  laugh: number;
  hooray: number;
  confused: number;
  heart: number;
  rocket: number;
  eyes: number;
}

export interface AppJson {
  id: number;
  slug: string;
  node_id: string;
  client_id: string;
  owner: UserJson;
  name: string;
  description: string;
  external_url: string;
  html_url: string;
  created_at: string;
  updated_at: string;
  permissions: Record<string, string>;
  events: string[];
}

export interface IssueJson {
  url: string;
  repository_url: string;
  labels_url: string;
  comments_url: string;
  events_url: string;
  html_url: string;
  timeline_url: string;
  id: number;
  node_id: string;
  number: number;
  title: string;
  user: UserJson;
  labels: LabelJson[];
  state: "open" | "closed";
  state_reason: "completed" | "not_planned" | "reopened" | "duplicate" | null;
  locked: boolean;
  active_lock_reason: string | null;
  assignee: UserJson | null;
  assignees: UserJson[];
  milestone: null;
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: UserJson | null;
  author_association: string;
  body: string | null;
  reactions: ReactionRollup;
  performed_via_github_app: AppJson | null;
  type: null;
  /** Present on pull requests only. */
  pull_request?: { url: string; html_url: string; diff_url: string; patch_url: string; merged_at: string | null };
}

export interface CommentJson {
  url: string;
  html_url: string;
  issue_url: string;
  id: number;
  node_id: string;
  user: UserJson;
  created_at: string;
  updated_at: string;
  body: string;
  author_association: string;
  reactions: ReactionRollup;
  performed_via_github_app: AppJson | null;
}

export interface ReactionJson {
  id: number;
  node_id: string;
  user: UserJson;
  content: string;
  created_at: string;
}

export interface RepoJson {
  id: number;
  node_id: string;
  name: string;
  full_name: string;
  private: boolean;
  visibility: "public" | "private";
  owner: UserJson;
  html_url: string;
  url: string;
  default_branch: string;
  [key: string]: unknown;
}

/** What a webhook body holds (the well-known keys typed, the rest open). */
export interface WebhookPayload {
  action?: string;
  issue?: IssueJson;
  comment?: CommentJson;
  label?: LabelJson;
  changes?: Record<string, { from: unknown }>;
  repository?: RepoJson;
  organization?: Record<string, unknown>;
  installation?: { id: number; node_id: string };
  sender?: UserJson;
  [key: string]: unknown;
}

/** One webhook the stand-in produced for the app (before it is sent). */
export interface WorldEvent {
  event: string;
  action?: string;
  payload: WebhookPayload;
}

export interface CallRecord {
  seq: number;
  at: Date;
  method: string;
  /** Path under /api/v3, with the query string ("/graphql" for the GraphQL endpoint). */
  path: string;
  /** "METHOD template" of the matched operation ("POST /graphql" for GraphQL), or null when no operation matched. */
  route: string | null;
  /** HTTP status sent; 0 when the socket was dropped by a fault. */
  status: number;
  /** Installation whose token made the call (or, for token creation, the installation asked for). */
  installationId?: number;
  /** How the caller authenticated. */
  auth: "app" | "installation" | "none" | "invalid";
  /** The route is an app-level (JWT) route such as token creation or GET /app. */
  appLevel: boolean;
  /** A write: any method but GET/HEAD; for GraphQL, a mutation. */
  write: boolean;
  notModified: boolean;
  /** No such operation in GitHub's REST API (404), or a GraphQL document GitHub's schema refuses (200 with errors). */
  refused: boolean;
  /** A real operation the stand-in does not implement (501), or a valid GraphQL field it does not run (200 with errors). */
  unimplemented: boolean;
  /** For GraphQL: the operation type and its root fields (names, not aliases), when the document parses. */
  graphql?: { operation: "query" | "mutation" | "subscription"; fields: string[] };
  /** Answered (or dropped/delayed) by an injected fault. */
  fault: boolean;
  /**
   * The X-GitHub-Delivery header of the request: Probot sends the id of the
   * webhook delivery being handled with every API call it makes for it.
   */
  deliveryId?: string;
  /** Request headers as received (authorization value reduced to its scheme). */
  requestHeaders: Record<string, string>;
}

export interface DeliveryRecord {
  id: string;
  event: string;
  action?: string;
  /** HTTP status of the app's answer; null while pending or when not sent; 0 on a network error. */
  status: number | null;
  payload: WebhookPayload;
  /** The exact body sent (signed). */
  body: string;
  signature256: string;
  sentAt: Date | null;
  answeredAt: Date | null;
  responseBody?: string;
  error?: string;
  pending: boolean;
  source: "auto" | "manual" | "redelivery";
}

export interface FaultSpec {
  /** "METHOD /template", or "/template" for any method; omitted: every operation. */
  route?: string;
  /** How many matching calls it applies to. */
  times: number;
  /** Status to answer with; omitted: only delay (delayMs), then handle normally. */
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  /** Destroy the socket instead of answering. */
  drop?: boolean;
}

export interface Fault extends FaultSpec {
  hits: number;
  readonly remaining: number;
}
