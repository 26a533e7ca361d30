// The stand-in's GraphQL endpoint (POST /api/graphql, as Octokit's graphql
// calls it for GHE, or POST /graphql). Every document is parsed and validated
// against GitHub's published schema (@octokit/graphql-schema), so a field or
// argument GitHub does not have is refused as GitHub would refuse it. Of the
// valid operations, the label mutations and the `repository` query (files on
// the default branch through `object`, and `issues`) are executed; any other
// answers an error naming what the stand-in does not implement. Changes go
// through the same World mutations as the REST handlers, so they send the
// same webhooks.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildASTSchema,
  execute,
  getNamedType,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  print,
  specifiedRules,
  validate,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from "graphql";
import type { Handler, HandlerContext, Reply } from "./handlers.js";
import { compileTemplate, type Operation } from "./routes.js";
import { decodeNodeId, gitBlobSha, nodeId, normalizePath, type IssueRec, type LabelRec, type RepoRec } from "./model.js";

/** Request paths of the endpoint: GHE's (Octokit derives it from a `/api/v3` base URL) and github.com's. */
export const GRAPHQL_PATHS: readonly string[] = ["/api/graphql", "/graphql"];

/** The endpoint as an "operation": its key (`POST /graphql`) names it in call records and faults. */
export const GRAPHQL_OPERATION: Operation = compileTemplate("POST", "/graphql");

export const GRAPHQL_ROUTE = GRAPHQL_OPERATION.key;

const IMPLEMENTED_MUTATIONS = new Set(["addLabelsToLabelable", "removeLabelsFromLabelable"]);
const IMPLEMENTED_QUERIES = new Set(["repository"]);

// ------------------------------------------------------------------ schema

const SCHEMA_FILE = "node_modules/@octokit/graphql-schema/schema.graphql";

function findSchemaFile(): string {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, SCHEMA_FILE);
      if (existsSync(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`stand-in: ${SCHEMA_FILE} not found (is the devDependency @octokit/graphql-schema installed?)`);
}

/**
 * The published SDL defines a few fields twice, identically (e.g.
 * EnterpriseOwnerInfo.repositoryDeployKeySetting), which graphql-js's SDL
 * validation rejects. Drop such repeats; a repeat that differs is an error.
 */
function dropRepeatedFields(doc: DocumentNode): DocumentNode {
  const definitions = doc.definitions.map((def): DefinitionNode => {
    if (!("fields" in def) || !def.fields || def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || def.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) {
      return def;
    }
    const seen = new Map<string, string>();
    const fields: FieldDefinitionNode[] = [];
    for (const field of def.fields as readonly FieldDefinitionNode[]) {
      const signature = print({ ...field, description: undefined });
      const earlier = seen.get(field.name.value);
      if (earlier === undefined) {
        seen.set(field.name.value, signature);
        fields.push(field);
      } else if (earlier !== signature) {
        throw new Error(`stand-in: GitHub's schema defines ${def.name.value}.${field.name.value} twice, differently`);
      }
    }
    return fields.length === def.fields.length ? def : { ...def, fields };
  });
  return { ...doc, definitions };
}

let cachedSchema: GraphQLSchema | undefined;

/** GitHub's GraphQL schema, built once, on first use (about a second). */
export function githubSchema(): GraphQLSchema {
  cachedSchema ??= buildASTSchema(dropRepeatedFields(parse(readFileSync(findSchemaFile(), "utf8"), { noLocation: true })));
  return cachedSchema;
}

// ------------------------------------------------------------------ errors

/** A GraphQL error as GitHub shapes it: `{ type?, path?, locations?, message }`. */
export interface GraphqlErrorJson {
  type?: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  message: string;
}

function errorJson(e: GraphQLError): GraphqlErrorJson {
  const type = e.extensions.type;
  return {
    ...(typeof type === "string" ? { type } : {}),
    ...(e.path ? { path: e.path } : {}),
    ...(e.locations ? { locations: e.locations } : {}),
    message: e.message,
  };
}

function typedError(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

function notFoundNode(id: string): GraphQLError {
  return typedError("NOT_FOUND", `Could not resolve to a node with the global id of '${id}'.`);
}

function notImplemented(what: string, node?: FieldNode, path?: string[]): GraphQLError {
  return new GraphQLError(`not implemented by the stand-in: ${what}`, { nodes: node, path });
}

// ------------------------------------------------------------------ validation

/**
 * GitHub refuses a connection field without `first` or `last`, or asking for
 * more than 100 records, before running anything. Literal values are checked
 * here; values given by variables when the connection is resolved.
 */
const paginationBoundaries: ValidationRule = (context) => ({
  Field(node) {
    const def = context.getFieldDef();
    if (!def || !getNamedType(def.type).name.endsWith("Connection")) return;
    if (!def.args.some((a) => a.name === "first") || !def.args.some((a) => a.name === "last")) return;
    const given = new Map((node.arguments ?? []).map((a) => [a.name.value, a.value]));
    const first = given.get("first");
    const last = given.get("last");
    const isNull = (v: typeof first): boolean => v === undefined || v.kind === Kind.NULL;
    if (isNull(first) && isNull(last)) {
      context.reportError(
        new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${node.name.value}\` connection.`, {
          nodes: node,
          extensions: { type: "MISSING_PAGINATION_BOUNDARIES" },
        }),
      );
    }
    for (const [name, value] of [["first", first], ["last", last]] as const) {
      if (value?.kind === Kind.INT && Number(value.value) > 100) {
        context.reportError(
          new GraphQLError(`Requesting ${value.value} records on the \`${node.name.value}\` connection exceeds the \`${name}\` limit of 100 records.`, {
            nodes: node,
            extensions: { type: "EXCESSIVE_PAGINATION" },
          }),
        );
      }
    }
  },
});

const RULES = [...specifiedRules, paginationBoundaries];

// ------------------------------------------------------------------ request summary

export type GraphqlOperationType = "query" | "mutation" | "subscription";

/** What a request asks for: the operation type and its root fields (names, not aliases). */
export interface GraphqlSummary {
  operation: GraphqlOperationType;
  fields: string[];
}

function rootFields(doc: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...rootFields(doc, sel.selectionSet, seen));
    else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const frag = doc.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === sel.name.value);
      if (frag?.kind === Kind.FRAGMENT_DEFINITION) out.push(...rootFields(doc, frag.selectionSet, seen));
    }
  }
  return out;
}

function requestParts(body: unknown): { query?: unknown; variables?: unknown; operationName?: unknown } | undefined {
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** The operation a raw request body selects, if it parses (for the call record; no schema needed). */
export function summarizeGraphql(rawBody: string): GraphqlSummary | undefined {
  try {
    const parts = requestParts(JSON.parse(rawBody));
    if (typeof parts?.query !== "string") return undefined;
    const doc = parse(parts.query, { noLocation: true });
    const op = getOperationAST(doc, typeof parts.operationName === "string" ? parts.operationName : undefined);
    if (!op) return undefined;
    return { operation: op.operation, fields: [...new Set(rootFields(doc, op.selectionSet).map((f) => f.name.value))] };
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------ execution

interface Ctx {
  http: HandlerContext;
}

type Resolver = (args: Record<string, unknown>, ctx: Ctx, info: GraphQLResolveInfo) => unknown;

/** Properties of the source object; functions are called as resolvers. A field the object lacks is not implemented. */
const fieldResolver: GraphQLFieldResolver<unknown, Ctx> = (source, args, ctx, info) => {
  if (source !== null && typeof source === "object" && info.fieldName in source) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === "function" ? (value as Resolver)(args, ctx, info) : value;
  }
  throw notImplemented(`${info.parentType.name}.${info.fieldName}`);
};

const CURSOR_PREFIX = "cursor:v2:";

function cursor(index: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${index}`).toString("base64");
}

function cursorIndex(value: string): number {
  const text = Buffer.from(value, "base64").toString("utf8");
  const n = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isInteger(n) || n < 0) {
    throw typedError("INVALID_CURSOR_ARGUMENTS", `\`${value}\` does not appear to be a valid cursor.`);
  }
  return n;
}

/**
 * A connection over `items` (already filtered and ordered), paged by first/last/after/before.
 * `toNode` turns an item into its node, for the page only.
 */
function connection<T>(
  items: readonly T[],
  args: Record<string, unknown>,
  info: GraphQLResolveInfo,
  toNode: (item: T) => unknown = (item) => item,
): Record<string, unknown> {
  const first = typeof args.first === "number" ? args.first : undefined;
  const last = typeof args.last === "number" ? args.last : undefined;
  const name = info.fieldName;
  if (first === undefined && last === undefined) {
    throw typedError("MISSING_PAGINATION_BOUNDARIES", `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`);
  }
  for (const [arg, n] of [["first", first], ["last", last]] as const) {
    if (n === undefined) continue;
    if (n > 100) throw typedError("EXCESSIVE_PAGINATION", `Requesting ${n} records on the \`${name}\` connection exceeds the \`${arg}\` limit of 100 records.`);
    if (n < 0) throw typedError("INVALID_PAGINATION_ARGUMENT", `\`${arg}\` on the \`${name}\` connection cannot be less than zero.`);
  }
  let start = typeof args.after === "string" ? cursorIndex(args.after) + 1 : 0;
  let end = typeof args.before === "string" ? Math.min(cursorIndex(args.before), items.length) : items.length;
  start = Math.min(start, end);
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  const indexes = Array.from({ length: end - start }, (_, i) => start + i);
  const nodes = indexes.map((i) => toNode(items[i] as T));
  return {
    totalCount: items.length,
    nodes,
    edges: indexes.map((i, k) => ({ cursor: cursor(i), node: nodes[k] })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: indexes.length ? cursor(start) : null,
      endCursor: indexes.length ? cursor(end - 1) : null,
    },
  };
}

function labelNode(repo: RepoRec, label: LabelRec): Record<string, unknown> {
  return {
    __typename: "Label",
    id: nodeId("Label", label.id),
    name: label.name,
    color: label.color,
    description: label.description,
    isDefault: false,
    url: `https://github.com/${repo.owner.login}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
  };
}

function issueNode(repo: RepoRec, issue: IssueRec): Record<string, unknown> {
  return {
    __typename: "Issue",
    id: nodeId("Issue", issue.id),
    databaseId: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state === "open" ? "OPEN" : "CLOSED",
    closed: issue.state === "closed",
    url: `https://github.com/${repo.owner.login}/${repo.name}/issues/${issue.number}`,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    labels: (args: Record<string, unknown>, _ctx: Ctx, info: GraphQLResolveInfo) => {
      const order = (args.orderBy ?? {}) as { field?: string; direction?: string };
      const labels = issue.labelKeys.flatMap((k) => {
        const l = repo.labels.get(k);
        return l ? [l] : [];
      });
      labels.sort((a, b) => (order.field === "NAME" ? a.name.localeCompare(b.name) : a.id - b.id));
      if (order.direction === "DESC") labels.reverse();
      return connection(labels.map((l) => labelNode(repo, l)), args, info);
    },
  };
}

// ------------------------------------------------------------------ queries

function notFoundRepository(owner: string, name: string): GraphQLError {
  return typedError("NOT_FOUND", `Could not resolve to a Repository with the name '${owner}/${name}'.`);
}

/**
 * `Repository.object(expression:)`: `REV:PATH` on the default branch, where
 * REV is HEAD, the default branch (also as heads/… or refs/heads/…) or the
 * head commit's sha. A file is a Blob, a directory (or the root) a Tree, a
 * bare REV the head Commit; anything else null, as GitHub answers.
 */
function gitObject(repo: RepoRec, args: Record<string, unknown>, ctx: Ctx): Record<string, unknown> | null {
  if (args.oid !== undefined && args.oid !== null) throw notImplemented("Repository.object(oid:)");
  const expression = args.expression;
  if (typeof expression !== "string") return null;
  const colon = expression.indexOf(":");
  const rev = colon < 0 ? expression : expression.slice(0, colon);
  if (rev !== "HEAD" && (rev === "" || !ctx.http.world.refMatches(repo, rev))) return null;
  const html = `https://github.com/${repo.owner.login}/${repo.name}`;
  const commit = { commitResourcePath: `/${repo.owner.login}/${repo.name}/commit/${repo.headSha}`, commitUrl: `${html}/commit/${repo.headSha}` };
  if (colon < 0) {
    return { __typename: "Commit", id: nodeId("Commit", repo.headSha), oid: repo.headSha, abbreviatedOid: repo.headSha.slice(0, 7), ...commit };
  }
  const path = normalizePath(expression.slice(colon + 1));
  const content = repo.files.get(path);
  if (content === undefined) {
    const prefix = path ? `${path}/` : "";
    for (const p of repo.files.keys()) {
      // A directory: its oid is not a real tree hash, just stable for the commit.
      if (p.startsWith(prefix)) {
        const oid = gitBlobSha(`tree ${repo.headSha}:${path}`);
        return { __typename: "Tree", id: nodeId("Tree", oid), oid, abbreviatedOid: oid.slice(0, 7), ...commit };
      }
    }
    return null;
  }
  const oid = gitBlobSha(content);
  const isBinary = content.includes("\u0000");
  return {
    __typename: "Blob",
    id: nodeId("Blob", oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    byteSize: Buffer.byteLength(content, "utf8"),
    isBinary,
    isTruncated: false,
    text: isBinary ? null : content,
    ...commit,
  };
}

const ISSUE_STATES = { OPEN: "open", CLOSED: "closed" } as const;

interface IssueFiltersInput {
  labels?: string[] | null;
  states?: Array<keyof typeof ISSUE_STATES> | null;
  since?: unknown;
  viewerSubscribed?: boolean | null;
  [other: string]: unknown;
}

function parseDateTime(value: unknown): number {
  const t = typeof value === "string" ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) {
    throw typedError("INVALID_ARGUMENTS", `Argument 'since' on InputObject 'IssueFilters' has an invalid value (${JSON.stringify(value)}). Expected type 'DateTime'.`);
  }
  return t;
}

/** An optional list argument as a set of lower-cased names; null/absent (or empty) = no filter. */
function nameSet(values: readonly string[] | null | undefined): Set<string> | undefined {
  return values?.length ? new Set(values.map((v) => v.toLowerCase())) : undefined;
}

/**
 * `Repository.issues`: filtered and ordered once for the request, then paged.
 * Pull requests are never issues here. `labels` (and `filterBy.labels`) keep
 * issues carrying any of the names, case-insensitively; `states` and
 * `filterBy.states` both apply; `filterBy.since` keeps issues updated at or
 * after it. Default order: creation, oldest first.
 */
function issueConnection(repo: RepoRec, args: Record<string, unknown>, info: GraphQLResolveInfo): Record<string, unknown> {
  const filterBy = (args.filterBy ?? {}) as IssueFiltersInput;
  for (const [field, value] of Object.entries(filterBy)) {
    if (["labels", "states", "since"].includes(field) || value === null || value === undefined) continue;
    if (field === "viewerSubscribed" && value === false) continue;
    throw notImplemented(`Repository.issues(filterBy: {${field}})`);
  }
  const labelSets = [nameSet(args.labels as string[] | null | undefined), nameSet(filterBy.labels)].filter((s) => s !== undefined);
  const stateSets = [args.states as string[] | null | undefined, filterBy.states]
    .filter((s): s is string[] => !!s?.length)
    .map((s) => new Set(s.map((v) => ISSUE_STATES[v as keyof typeof ISSUE_STATES])));
  const since = filterBy.since === undefined || filterBy.since === null ? undefined : parseDateTime(filterBy.since);

  const items: IssueRec[] = [];
  for (const issue of repo.issues.values()) {
    if (issue.pullRequest) continue;
    if (stateSets.some((s) => !s.has(issue.state))) continue;
    if (labelSets.some((s) => !issue.labelKeys.some((k) => s.has(k)))) continue;
    if (since !== undefined && Date.parse(issue.updatedAt) < since) continue;
    items.push(issue);
  }

  const order = (args.orderBy ?? { field: "CREATED_AT", direction: "ASC" }) as { field: string; direction: string };
  let sortKey: (i: IssueRec) => string | number;
  if (order.field === "UPDATED_AT") sortKey = (i) => i.updatedAt;
  else if (order.field === "COMMENTS") {
    const counts = new Map<number, number>();
    for (const c of repo.comments.values()) counts.set(c.issueNumber, (counts.get(c.issueNumber) ?? 0) + 1);
    sortKey = (i) => counts.get(i.number) ?? 0;
  } else sortKey = (i) => i.createdAt;
  const sign = order.direction === "DESC" ? -1 : 1;
  const keyed = items.map((issue) => ({ issue, key: sortKey(issue) }));
  keyed.sort((a, b) => sign * (a.key < b.key ? -1 : a.key > b.key ? 1 : a.issue.number - b.issue.number));
  return connection(
    keyed.map((k) => k.issue),
    args,
    info,
    (issue) => issueNode(repo, issue),
  );
}

function repositoryNode(repo: RepoRec): Record<string, unknown> {
  return {
    __typename: "Repository",
    id: nodeId("Repository", repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${repo.owner.login}/${repo.name}`,
    owner: { __typename: repo.owner.type === "Organization" ? "Organization" : "User", id: nodeId(repo.owner.type, repo.owner.id), login: repo.owner.login },
    url: `https://github.com/${repo.owner.login}/${repo.name}`,
    isPrivate: repo.private,
    visibility: repo.private ? "PRIVATE" : "PUBLIC",
    defaultBranchRef: { __typename: "Ref", name: repo.defaultBranch, prefix: "refs/heads/" },
    object: (args: Record<string, unknown>, ctx: Ctx) => gitObject(repo, args, ctx),
    issues: (args: Record<string, unknown>, _ctx: Ctx, info: GraphQLResolveInfo) => issueConnection(repo, args, info),
  };
}

const queries: Record<string, Resolver> = {
  /** Another installation's repository, one outside the token's list, and a missing one are all NOT_FOUND. */
  repository: (args, ctx) => {
    const owner = String(args.owner);
    const name = String(args.name);
    const repo = ctx.http.world.repo(owner, name);
    if (!repo || !ctx.http.canSee(repo)) throw notFoundRepository(owner, name);
    return repositoryNode(repo);
  },
};

interface LabelsInput {
  labelableId: string;
  labelIds: string[];
  clientMutationId?: string | null;
}

/** The issue behind a labelable id, if the caller's token may see its repository. */
function resolveLabelable(ctx: Ctx, id: string): { repo: RepoRec; issue: IssueRec } {
  const ref = decodeNodeId(id);
  if (ref?.kind === "Issue") {
    for (const repo of ctx.http.world.repos.values()) {
      if (!ctx.http.canSee(repo)) continue;
      for (const issue of repo.issues.values()) if (String(issue.id) === ref.id) return { repo, issue };
    }
  }
  throw notFoundNode(id);
}

/** Labels of the labelable's own repository; any other id (another repository's label included) is not found. */
function resolveLabels(repo: RepoRec, ids: readonly string[]): LabelRec[] {
  const out: LabelRec[] = [];
  for (const id of ids) {
    const ref = decodeNodeId(id);
    const label = ref?.kind === "Label" ? [...repo.labels.values()].find((l) => String(l.id) === ref.id) : undefined;
    if (!label) throw notFoundNode(id);
    if (!out.includes(label)) out.push(label);
  }
  return out;
}

function labelsInput(args: Record<string, unknown>): LabelsInput {
  return args.input as LabelsInput;
}

const mutations: Record<string, Resolver> = {
  addLabelsToLabelable: (args, ctx) => {
    const input = labelsInput(args);
    const { repo, issue } = resolveLabelable(ctx, input.labelableId);
    const labels = resolveLabels(repo, input.labelIds);
    const { world, actor } = ctx.http;
    ctx.http.emit(
      world.addLabels(
        repo,
        issue,
        actor,
        labels.map((l) => l.name),
        false,
      ),
    );
    return { clientMutationId: input.clientMutationId ?? null, labelable: issueNode(repo, issue) };
  },

  removeLabelsFromLabelable: (args, ctx) => {
    const input = labelsInput(args);
    const { repo, issue } = resolveLabelable(ctx, input.labelableId);
    const labels = resolveLabels(repo, input.labelIds);
    const { world, actor } = ctx.http;
    for (const label of labels) {
      if (issue.labelKeys.includes(label.name.toLowerCase())) ctx.http.emit(world.removeLabel(repo, issue, actor, label.name));
    }
    return { clientMutationId: input.clientMutationId ?? null, labelable: issueNode(repo, issue) };
  },
};

/** Root fields of the operation the stand-in does not run (introspection's `__` fields it does). */
function unimplementedRootFields(doc: DocumentNode, op: OperationDefinitionNode): GraphQLError[] {
  const typeName = op.operation === "query" ? "Query" : op.operation === "mutation" ? "Mutation" : "Subscription";
  const implemented = op.operation === "query" ? IMPLEMENTED_QUERIES : op.operation === "mutation" ? IMPLEMENTED_MUTATIONS : new Set<string>();
  return rootFields(doc, op.selectionSet)
    .filter((f) => !f.name.value.startsWith("__") && !implemented.has(f.name.value))
    .map((f) => notImplemented(`${typeName}.${f.name.value}`, f, [f.alias?.value ?? f.name.value]));
}

/** The reply for a request refused before anything runs. */
function refuse(errors: readonly GraphQLError[], marks: Reply["record"]): Reply {
  return { body: { errors: errors.map(errorJson) }, record: marks };
}

/**
 * POST /graphql. Answers 200 with `{ data?, errors? }` as GitHub does, also
 * for a document GitHub's schema refuses (marked `refused` in the call
 * record) and for one the stand-in does not run (`unimplemented`).
 */
export const graphqlHandler: Handler = async (ctx) => {
  const parts = requestParts(ctx.body);
  if (typeof parts?.query !== "string") {
    return refuse([new GraphQLError("A query attribute must be specified and must be a string.")], { refused: true });
  }
  const variables = parts.variables ?? undefined;
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
    return refuse([new GraphQLError("Variables are invalid JSON.")], { refused: true });
  }
  const operationName = typeof parts.operationName === "string" ? parts.operationName : undefined;

  let document: DocumentNode;
  try {
    document = parse(parts.query);
  } catch (e) {
    if (e instanceof GraphQLError) return refuse([e], { refused: true });
    throw e;
  }
  const schema = githubSchema();
  const invalid = validate(schema, document, RULES);
  if (invalid.length) return refuse(invalid, { refused: true });

  const op = getOperationAST(document, operationName);
  if (op) {
    const missing = unimplementedRootFields(document, op);
    if (missing.length) return refuse(missing, { unimplemented: true });
  }

  const result = await execute({
    schema,
    document,
    rootValue: op?.operation === "query" ? queries : mutations,
    contextValue: { http: ctx } satisfies Ctx,
    variableValues: variables as Record<string, unknown> | null | undefined,
    operationName,
    fieldResolver,
  });
  const body: Record<string, unknown> = {};
  if (result.data !== undefined) body.data = result.data;
  if (result.errors?.length) body.errors = result.errors.map(errorJson);
  return { body };
};
