// Self-tests of the stand-in's GraphQL endpoint (test/e2e/standin/graphql.ts), over real HTTP.
import { createServer, type Server } from "node:http";
import { createSign } from "node:crypto";
import type { AddressInfo } from "node:net";
import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTestAppKey } from "./harness.js";
import { GRAPHQL_ROUTE, NO_SUCH_OPERATION, startStandin, type IssueJson, type LabelJson, type Standin } from "./standin/server.js";
import { nodeId } from "./standin/model.js";

const APP_ID = 271828;
const INSTALLATION = 77;
const OTHER_INSTALLATION = 88;
const key = generateTestAppKey();

const SWAP = `mutation($issue: ID!, $add: [ID!]!, $remove: [ID!]!) {
  add: addLabelsToLabelable(input: {labelableId: $issue, labelIds: $add}) { clientMutationId }
  remove: removeLabelsFromLabelable(input: {labelableId: $issue, labelIds: $remove}) { clientMutationId }
}`;

interface GraphqlAnswer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ type?: string; path?: Array<string | number>; locations?: Array<{ line: number; column: number }>; message: string }>;
    message?: string;
  };
}

async function gql(
  standin: Standin,
  query: unknown,
  variables: Record<string, unknown> = {},
  opts: { auth?: string; path?: string; raw?: string } = {},
): Promise<GraphqlAnswer> {
  const res = await fetch(`${standin.url}${opts.path ?? "/api/graphql"}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(opts.auth ? { authorization: opts.auth } : {}) },
    body: opts.raw ?? JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as GraphqlAnswer["body"] };
}

function makeJwt(privateKey: string): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const unsigned = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 540, iss: APP_ID })}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(privateKey).toString("base64url")}`;
}

describe("the stand-in's GraphQL endpoint", () => {
  let standin: Standin;
  let receiver: Server;
  let token: string;
  const labels = new Map<string, LabelJson>();
  let foreignLabel: LabelJson;
  let secretIssue: IssueJson;

  const labelNames = (issue: IssueJson): string[] => standin.issue("acme", "incidents", issue.number)?.labels.map((l) => l.name) ?? [];
  const id = (name: string): string => labels.get(name)?.node_id ?? `no label ${name}`;

  /** An issue opened by a person, without sending its webhooks. */
  async function quietIssue(title: string, withLabels: string[]): Promise<IssueJson> {
    standin.webhooksEnabled = false;
    try {
      return await standin.openIssue({ owner: "acme", repo: "incidents", title, labels: withLabels, user: "alice" });
    } finally {
      standin.webhooksEnabled = true;
    }
  }

  beforeAll(async () => {
    standin = await startStandin({ appId: APP_ID, publicKey: key.publicKey, slug: "postmortem-bot" });
    standin.addInstallation({ id: INSTALLATION, account: "acme" });
    standin.addRepo({ owner: "acme", name: "incidents", installationId: INSTALLATION });
    for (const name of ["postmortem", "draft", "ready", "sev2"]) labels.set(name, standin.createLabel("acme", "incidents", { name }));
    standin.addRepo({ owner: "acme", name: "other", installationId: INSTALLATION });
    foreignLabel = standin.createLabel("acme", "other", { name: "ready" });
    standin.addInstallation({ id: OTHER_INSTALLATION, account: "globex" });
    standin.addRepo({ owner: "globex", name: "secret", private: true, installationId: OTHER_INSTALLATION, labels: ["draft"] });
    standin.webhooksEnabled = false;
    secretIssue = await standin.openIssue({ owner: "globex", repo: "secret", title: "Theirs", labels: ["draft"], user: "eve" });
    standin.webhooksEnabled = true;
    receiver = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end("ok"));
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
    standin.setWebhookTarget(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, "shh");
    token = `token ${standin.createInstallationToken(INSTALLATION)}`;
  });
  afterAll(async () => {
    await standin.close();
    await new Promise((r) => receiver.close(r));
  });

  it("swaps labels in one request through Probot's Octokit (POST /api/graphql), with labeled + unlabeled webhooks from the bot", async () => {
    const issue = await quietIssue("Swap me", ["postmortem", "draft"]);
    const octokit = new ProbotOctokit({ auth: { token: standin.createInstallationToken(INSTALLATION) }, baseUrl: standin.apiBase });
    const mark = standin.mark();
    const data = await octokit.graphql(SWAP, { issue: issue.node_id, add: [id("ready")], remove: [id("draft")] });
    expect(data).toEqual({ add: { clientMutationId: null }, remove: { clientMutationId: null } });
    expect(labelNames(issue)).toEqual(["postmortem", "ready"]);

    await standin.idle();
    const ds = standin.deliveriesSince(mark);
    expect(ds.map((d) => `${d.event}.${d.action} ${d.payload.label?.name} ${d.status}`)).toEqual([
      "issues.labeled ready 200",
      "issues.unlabeled draft 200",
    ]);
    for (const d of ds) {
      expect(d.payload.sender).toMatchObject({ login: "postmortem-bot[bot]", type: "Bot", id: standin.botUserId });
      expect(d.payload.issue?.number).toBe(issue.number);
      expect(d.payload.installation?.id).toBe(INSTALLATION);
    }
    expect(ds[1]?.payload.issue?.labels.map((l) => l.name)).toEqual(["postmortem", "ready"]);

    // One installation API call, under the key "POST /graphql".
    const calls = standin.apiCallsSince(mark);
    expect(standin.describeCalls(calls)).toEqual([`${GRAPHQL_ROUTE} 200`]);
    expect(GRAPHQL_ROUTE).toBe("POST /graphql");
    expect(calls[0]).toMatchObject({
      method: "POST",
      path: "/graphql",
      route: "POST /graphql",
      auth: "installation",
      installationId: INSTALLATION,
      write: true,
      refused: false,
      unimplemented: false,
      graphql: { operation: "mutation", fields: ["addLabelsToLabelable", "removeLabelsFromLabelable"] },
    });
  });

  it("adds a present label and removes an absent one as no-ops; answers labelable and clientMutationId; also at /graphql", async () => {
    const issue = await quietIssue("Already there", ["postmortem", "ready"]);
    const query = `mutation($issue: ID!, $add: [ID!]!, $remove: [ID!]!) {
      add: addLabelsToLabelable(input: {labelableId: $issue, labelIds: $add, clientMutationId: "a-1"}) {
        clientMutationId
        labelable { __typename ... on Issue { number labels(first: 10) { totalCount nodes { name } } } }
      }
      remove: removeLabelsFromLabelable(input: {labelableId: $issue, labelIds: $remove}) {
        labelable { ... on Issue { labels(first: 1, orderBy: {field: NAME, direction: DESC}) { nodes { name } pageInfo { hasNextPage } } } }
      }
    }`;
    const mark = standin.mark();
    const res = await gql(standin, query, { issue: issue.node_id, add: [id("ready")], remove: [id("draft")] }, { auth: token, path: "/graphql" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        add: {
          clientMutationId: "a-1",
          labelable: { __typename: "Issue", number: issue.number, labels: { totalCount: 2, nodes: [{ name: "postmortem" }, { name: "ready" }] } },
        },
        remove: { labelable: { labels: { nodes: [{ name: "ready" }], pageInfo: { hasNextPage: true } } } },
      },
    });
    // GraphQL has its own rate-limit resource.
    expect(res.headers.get("x-ratelimit-resource")).toBe("graphql");
    await standin.idle();
    expect(standin.deliveriesSince(mark)).toEqual([]);
    expect(labelNames(issue)).toEqual(["postmortem", "ready"]);
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual(["POST /graphql 200"]);
  });

  it("refuses documents GitHub's schema refuses: 200 with errors, nothing run, the call marked refused", async () => {
    const issue = await quietIssue("Invalid", ["draft"]);
    const vars = { issue: issue.node_id, add: [id("ready")], remove: [id("draft")] };
    const mark = standin.mark();

    const unknownField = await gql(standin, SWAP.replace("{ clientMutationId }\n  remove", "{ clientMutationId labels }\n  remove"), vars, { auth: token });
    expect(unknownField.status).toBe(200);
    expect(unknownField.body).toEqual({
      errors: [{ message: 'Cannot query field "labels" on type "AddLabelsToLabelablePayload".', locations: [{ line: 2, column: 94 }] }],
    });

    const unknownArgument = await gql(
      standin,
      `mutation($issue: ID!, $add: [ID!]!) { addLabelsToLabelable(input: {labelableId: $issue, labelIds: $add, names: ["x"]}) { clientMutationId } }`,
      { issue: issue.node_id, add: [] },
      { auth: token },
    );
    expect(unknownArgument.body.errors?.map((e) => e.message)).toEqual(['Field "names" is not defined by type "AddLabelsToLabelableInput".']);

    const unknownMutation = await gql(standin, `mutation { addLabelsToIssue(input: {issueId: "x", labels: ["ready"]}) { clientMutationId } }`, {}, { auth: token });
    expect(unknownMutation.body.errors?.[0]?.message).toMatch(/^Cannot query field "addLabelsToIssue" on type "Mutation"/);
    expect(unknownMutation.body.data).toBeUndefined();

    // GitHub refuses a connection without `first`/`last` before running anything.
    const unbounded = await gql(
      standin,
      `mutation($issue: ID!, $add: [ID!]!) { addLabelsToLabelable(input: {labelableId: $issue, labelIds: $add}) { labelable { labels { nodes { name } } } } }`,
      { issue: issue.node_id, add: [id("ready")] },
      { auth: token },
    );
    expect(unbounded.body).toEqual({
      errors: [
        {
          type: "MISSING_PAGINATION_BOUNDARIES",
          locations: [{ line: 1, column: 120 }],
          message: "You must provide a `first` or `last` value to properly paginate the `labels` connection.",
        },
      ],
    });

    const excessive = await gql(
      standin,
      `mutation($issue: ID!) { addLabelsToLabelable(input: {labelableId: $issue, labelIds: []}) { labelable { labels(first: 101) { totalCount } } } }`,
      { issue: issue.node_id },
      { auth: token },
    );
    expect(excessive.body.errors?.map((e) => [e.type, e.message])).toEqual([
      ["EXCESSIVE_PAGINATION", "Requesting 101 records on the `labels` connection exceeds the `first` limit of 100 records."],
    ]);

    await standin.idle();
    expect(labelNames(issue)).toEqual(["draft"]);
    expect(standin.deliveriesSince(mark)).toEqual([]);
    const calls = standin.apiCallsSince(mark);
    expect(standin.describeCalls(calls)).toEqual(Array(5).fill("POST /graphql 200"));
    expect(calls.every((c) => c.refused && !c.unimplemented)).toBe(true);
  });

  it("answers a syntax error (and a body without a query) with errors and locations", async () => {
    const mark = standin.mark();
    const broken = await gql(standin, "mutation { addLabelsToLabelable(input: {labelableId: \"x\" labelIds: []}) { clientMutationId }", {}, { auth: token });
    expect(broken.status).toBe(200);
    expect(broken.body).toEqual({ errors: [{ locations: [{ line: 1, column: 93 }], message: "Syntax Error: Expected Name, found <EOF>." }] });
    const noQuery = await gql(standin, undefined, {}, { auth: token });
    expect(noQuery.body).toEqual({ errors: [{ message: "A query attribute must be specified and must be a string." }] });
    const notJson = await gql(standin, "", {}, { auth: token, raw: "{not json" });
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toBe("Problems parsing JSON");
    expect(standin.callsSince(mark).map((c) => [c.route, c.status, c.refused, c.write])).toEqual([
      ["POST /graphql", 200, true, false],
      ["POST /graphql", 200, true, false],
      ["POST /graphql", 400, false, false],
    ]);
  });

  it("answers NOT_FOUND for an unknown or foreign node id, changing nothing", async () => {
    const issue = await quietIssue("Not found", ["draft"]);
    const mark = standin.mark();

    const missing = nodeId("Issue", 987654321);
    const unknownIssue = await gql(standin, SWAP, { issue: missing, add: [id("ready")], remove: [id("draft")] }, { auth: token });
    expect(unknownIssue.status).toBe(200);
    expect(unknownIssue.body).toEqual({
      data: { add: null, remove: null },
      errors: [
        { type: "NOT_FOUND", path: ["add"], locations: [{ line: 2, column: 3 }], message: `Could not resolve to a node with the global id of '${missing}'.` },
        { type: "NOT_FOUND", path: ["remove"], locations: [{ line: 3, column: 3 }], message: `Could not resolve to a node with the global id of '${missing}'.` },
      ],
    });

    // Another installation's issue is as invisible as one that does not exist; so is garbage.
    const theirs = await gql(standin, SWAP, { issue: secretIssue.node_id, add: [], remove: [standin.labels("globex", "secret")[0]?.node_id] }, { auth: token });
    expect(theirs.body.errors?.map((e) => [e.type, e.path, e.message])).toEqual([
      ["NOT_FOUND", ["add"], `Could not resolve to a node with the global id of '${secretIssue.node_id}'.`],
      ["NOT_FOUND", ["remove"], `Could not resolve to a node with the global id of '${secretIssue.node_id}'.`],
    ]);
    expect(standin.issue("globex", "secret", secretIssue.number)?.labels.map((l) => l.name)).toEqual(["draft"]);
    const garbage = await gql(standin, SWAP, { issue: "I_kwDOnope", add: [], remove: [] }, { auth: token });
    expect(garbage.body.errors?.map((e) => e.type)).toEqual(["NOT_FOUND", "NOT_FOUND"]);

    // A label of another repository (same name, same installation) is not found either; the
    // whole add fails (no label added) and the issue id is not the one reported.
    const otherRepoLabel = await gql(standin, SWAP, { issue: issue.node_id, add: [id("sev2"), foreignLabel.node_id], remove: [] }, { auth: token });
    expect(otherRepoLabel.body).toEqual({
      data: { add: null, remove: { clientMutationId: null } },
      errors: [{ type: "NOT_FOUND", path: ["add"], locations: [{ line: 2, column: 3 }], message: `Could not resolve to a node with the global id of '${foreignLabel.node_id}'.` }],
    });
    // An issue id where a label id belongs is not a label.
    const wrongKind = await gql(standin, SWAP, { issue: issue.node_id, add: [issue.node_id], remove: [] }, { auth: token });
    expect(wrongKind.body.errors?.map((e) => e.message)).toEqual([`Could not resolve to a node with the global id of '${issue.node_id}'.`]);

    await standin.idle();
    expect(labelNames(issue)).toEqual(["draft"]);
    expect(standin.deliveriesSince(mark)).toEqual([]);
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual(Array(5).fill("POST /graphql 200"));
  });

  it("runs the mutations in document order, each on its own: a failing add does not stop the remove", async () => {
    const issue = await quietIssue("Half a swap", ["postmortem", "draft"]);
    const mark = standin.mark();
    const res = await gql(standin, SWAP, { issue: issue.node_id, add: [foreignLabel.node_id], remove: [id("draft")] }, { auth: token });
    expect(res.body.data).toEqual({ add: null, remove: { clientMutationId: null } });
    expect(res.body.errors?.map((e) => [e.type, e.path])).toEqual([["NOT_FOUND", ["add"]]]);
    expect(labelNames(issue)).toEqual(["postmortem"]);
    await standin.idle();
    expect(standin.deliveriesSince(mark).map((d) => `${d.event}.${d.action} ${d.payload.label?.name}`)).toEqual(["issues.unlabeled draft"]);
  });

  it("authenticates like REST installation calls: 401 without a valid installation token", async () => {
    const issue = await quietIssue("Auth", ["draft"]);
    const vars = { issue: issue.node_id, add: [id("ready")], remove: [id("draft")] };
    const mark = standin.mark();
    const none = await gql(standin, SWAP, vars);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: "Requires authentication", documentation_url: "https://docs.github.com/graphql", status: "401" });
    const bad = await gql(standin, SWAP, vars, { auth: "token ghs_unknown" });
    expect(bad.status).toBe(401);
    expect(bad.body.message).toBe("Bad credentials");
    const jwt = await gql(standin, SWAP, vars, { auth: `Bearer ${makeJwt(key.privateKey)}` });
    expect(jwt.status).toBe(401);
    expect(labelNames(issue)).toEqual(["draft"]);
    expect(standin.callsSince(mark).map((c) => [c.route, c.status, c.auth])).toEqual([
      ["POST /graphql", 401, "none"],
      ["POST /graphql", 401, "invalid"],
      ["POST /graphql", 401, "invalid"],
    ]);
    // Only POST is GraphQL; other methods on the path are no operation at all.
    const get = await fetch(`${standin.url}/api/graphql`, { headers: { authorization: token } });
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual({ message: NO_SUCH_OPERATION });
  });

  it("refuses valid operations it does not implement, naming them, and runs nothing", async () => {
    const issue = await quietIssue("Unimplemented", ["draft"]);
    const mark = standin.mark();

    const viewer = await gql(standin, "query { viewer { login } rateLimit { remaining } }", {}, { auth: token });
    expect(viewer.status).toBe(200);
    expect(viewer.body).toEqual({
      errors: [
        { path: ["viewer"], locations: [{ line: 1, column: 9 }], message: "not implemented by the stand-in: Query.viewer" },
        { path: ["rateLimit"], locations: [{ line: 1, column: 26 }], message: "not implemented by the stand-in: Query.rateLimit" },
      ],
    });

    // One unimplemented field refuses the whole document: the swap beside it does not run.
    const mixed = await gql(
      standin,
      `mutation($issue: ID!, $add: [ID!]!) {
        addLabelsToLabelable(input: {labelableId: $issue, labelIds: $add}) { clientMutationId }
        closeIssue(input: {issueId: $issue}) { clientMutationId }
      }`,
      { issue: issue.node_id, add: [id("ready")] },
      { auth: token },
    );
    expect(mixed.body.errors?.map((e) => e.message)).toEqual(["not implemented by the stand-in: Mutation.closeIssue"]);
    expect(mixed.body.data).toBeUndefined();

    // A payload field the stand-in does not fill fails loudly at its path (the mutation itself has run).
    const nested = await gql(
      standin,
      `mutation($issue: ID!) { addLabelsToLabelable(input: {labelableId: $issue, labelIds: []}) { labelable { ... on Issue { author { login } } } } }`,
      { issue: issue.node_id },
      { auth: token },
    );
    expect(nested.body.errors?.map((e) => [e.path, e.message])).toEqual([
      [["addLabelsToLabelable", "labelable", "author"], "not implemented by the stand-in: Issue.author"],
    ]);

    await standin.idle();
    expect(labelNames(issue)).toEqual(["draft"]);
    expect(standin.issue("acme", "incidents", issue.number)?.state).toBe("open");
    expect(standin.deliveriesSince(mark)).toEqual([]);
    const calls = standin.apiCallsSince(mark);
    expect(calls.map((c) => [c.route, c.status, c.unimplemented, c.write, c.graphql?.fields])).toEqual([
      ["POST /graphql", 200, true, false, ["viewer", "rateLimit"]],
      ["POST /graphql", 200, true, true, ["addLabelsToLabelable", "closeIssue"]],
      ["POST /graphql", 200, false, true, ["addLabelsToLabelable"]],
    ]);
  });

  it("injects faults on POST /graphql like on REST routes", async () => {
    const issue = await quietIssue("Faulty", ["draft"]);
    const vars = { issue: issue.node_id, add: [id("ready")], remove: [id("draft")] };
    const mark = standin.mark();

    const fault = standin.injectFault({ route: "POST /graphql", times: 1, status: 502, body: { message: "Server Error" } });
    const failed = await gql(standin, SWAP, vars, { auth: token });
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({ message: "Server Error" });
    expect(fault.hits).toBe(1);
    expect(labelNames(issue)).toEqual(["draft"]);

    // "/template" matches any method, as for REST; a dropped socket is recorded as status 0.
    standin.injectFault({ route: "/graphql", times: 1, drop: true });
    await expect(gql(standin, SWAP, vars, { auth: token })).rejects.toThrow();
    expect(labelNames(issue)).toEqual(["draft"]);

    const ok = await gql(standin, SWAP, vars, { auth: token });
    expect(ok.body).toEqual({ data: { add: { clientMutationId: null }, remove: { clientMutationId: null } } });
    expect(labelNames(issue)).toEqual(["ready"]);
    await standin.idle();
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual(["POST /graphql 502", "POST /graphql 0", "POST /graphql 200"]);
    expect(standin.apiCallsSince(mark).map((c) => c.fault)).toEqual([true, true, false]);
    expect(standin.deliveriesSince(mark).map((d) => `${d.event}.${d.action} ${d.payload.label?.name}`)).toEqual([
      "issues.labeled ready",
      "issues.unlabeled draft",
    ]);
  });
});

/** The app's document for files on the default branch, `n` repositories aliased f0, f1, … */
function readFilesQuery(n: number): string {
  const vars = Array.from({ length: n }, (_, i) => `$o${i}: String!, $n${i}: String!, $e${i}: String!`).join(", ");
  const fields = Array.from({ length: n }, (_, i) => `  f${i}: repository(owner: $o${i}, name: $n${i}) { object(expression: $e${i}) { ... on Blob { text isBinary } } }`);
  return `query ReadFiles(${vars}) {\n${fields.join("\n")}\n}`;
}

/** The app's document for postmortem issues, `n` repositories aliased r0, r1, … */
function listQuery(n: number, extra = ""): string {
  const vars = Array.from({ length: n }, (_, i) => `, $o${i}: String!, $n${i}: String!, $l${i}: [String!], $c${i}: String`).join("");
  const fields = Array.from(
    { length: n },
    (_, i) => `  r${i}: repository(owner: $o${i}, name: $n${i}) {
    issues(first: 100, after: $c${i}, labels: $l${i}, states: [OPEN, CLOSED], orderBy: { field: CREATED_AT, direction: ASC }, filterBy: { since: $since }) {
      pageInfo { hasNextPage endCursor }${extra}
      nodes { number title url body state createdAt labels(first: 100) { nodes { name } } }
    }
  }`,
  );
  return `query ListPostmortems($since: DateTime${vars}) {\n${fields.join("\n")}\n}`;
}

interface IssueNodeJson {
  number: number;
  title: string;
  url: string;
  body: string;
  state: "OPEN" | "CLOSED";
  createdAt: string;
  labels: { nodes: Array<{ name: string }> };
}
interface IssuesJson {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: IssueNodeJson[];
}

describe("the stand-in's GraphQL reads: repository { object } and repository { issues }", () => {
  let standin: Standin;
  let token: string;
  const clock = { now: Date.parse("2024-01-01T00:00:00Z") };
  const at = (iso: string): void => {
    clock.now = Date.parse(iso);
  };
  const CONFIG = "label: postmortem\ntimezone: UTC\n";
  const BETA_CONFIG = "label: incident-review\n";
  /** acme/alpha's issues by title, as REST shows them. */
  const alpha = new Map<string, IssueJson>();
  /** acme/many's postmortems in creation order (numbers). */
  let manyOrder: number[] = [];

  const issuesOf = (res: GraphqlAnswer, alias = "r0"): IssuesJson => (res.body.data?.[alias] as { issues: IssuesJson }).issues;
  const numbers = (res: GraphqlAnswer, alias = "r0"): number[] => issuesOf(res, alias).nodes.map((n) => n.number);
  const num = (title: string): number => alpha.get(title)?.number ?? -1;

  async function open(repo: string, title: string, labels: string[], iso: string, body = `body of ${title}`): Promise<IssueJson> {
    at(iso);
    return standin.openIssue({ owner: "acme", repo, title, body, labels, user: "alice" });
  }

  beforeAll(async () => {
    standin = await startStandin({ appId: APP_ID, publicKey: key.publicKey, slug: "postmortem-bot", now: () => new Date(clock.now) });
    standin.webhooksEnabled = false;
    standin.addInstallation({ id: INSTALLATION, account: "acme" });
    standin.addRepo({
      owner: "acme",
      name: "alpha",
      installationId: INSTALLATION,
      labels: ["Postmortem", "bug", "incident-review"],
      files: { ".github/postmortem.yml": CONFIG, "docs/guide.md": "# Guide\n" },
    });
    standin.addRepo({ owner: "acme", name: "beta", private: true, default_branch: "trunk", installationId: INSTALLATION, files: { ".github/postmortem.yml": BETA_CONFIG } });
    standin.addRepo({ owner: "acme", name: "many", installationId: INSTALLATION, labels: ["postmortem"] });
    standin.addInstallation({ id: OTHER_INSTALLATION, account: "globex" });
    standin.addRepo({ owner: "globex", name: "secret", private: true, installationId: OTHER_INSTALLATION, labels: ["postmortem"], files: { ".github/postmortem.yml": "x" } });
    await standin.openIssue({ owner: "globex", repo: "secret", title: "Theirs", labels: ["postmortem"], user: "eve" });

    for (const [title, labels, iso] of [
      ["Outage", ["postmortem"], "2024-01-01T00:00:01Z"],
      ["Flaky", ["bug"], "2024-01-01T00:00:02Z"],
      ["Both", ["POSTMORTEM", "bug"], "2024-01-01T00:00:03Z"],
      ["A pull request", ["postmortem"], "2024-01-01T00:00:04Z"],
      ["Unlabelled", [], "2024-01-01T00:00:05Z"],
      ["Mobile", ["incident-review"], "2024-01-01T00:00:06Z"],
    ] as const) {
      alpha.set(title, await open("alpha", title, [...labels], iso));
    }
    // Opened later but created earlier (as imported issues are): creation order, not numbers, decides.
    alpha.set("Imported", await open("alpha", "Imported", ["postmortem"], "2023-06-01T00:00:00Z"));
    standin.world.requireRepo("acme", "alpha").issues.get(num("A pull request"))!.pullRequest = true;
    at("2024-02-01T00:00:00Z");
    await standin.closeIssue("acme", "alpha", num("Both"), {}, "alice");

    // acme/many: 250 postmortems (creation times shuffled, in pairs sharing a second) among 50 other issues.
    const created: Array<{ number: number; createdAt: string }> = [];
    for (let k = 0; k < 300; k++) {
      const minute = Math.floor(((k * 37) % 300) / 2);
      const iso = new Date(Date.parse("2024-03-01T00:00:00Z") + minute * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
      const issue = await open("many", `Incident ${k}`, k % 6 === 5 ? [] : ["postmortem"], iso, `### Summary\n\n${"x".repeat(k)}`);
      if (k % 6 !== 5) created.push({ number: issue.number, createdAt: issue.created_at });
    }
    manyOrder = created.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.number - b.number)).map((c) => c.number);
    at("2024-06-01T00:00:00Z");
    token = `token ${standin.createInstallationToken(INSTALLATION)}`;
  });
  afterAll(async () => {
    await standin.close();
  });

  it("reads files on the default branch of several repositories in one request: a missing file is null, no error", async () => {
    const mark = standin.mark();
    const res = await gql(
      standin,
      readFilesQuery(4),
      {
        ...{ o0: "acme", n0: "alpha", e0: "HEAD:.github/postmortem.yml" },
        ...{ o1: "acme", n1: "beta", e1: "trunk:.github/postmortem.yml" },
        ...{ o2: "acme", n2: "alpha", e2: "HEAD:.github/missing.yml" },
        ...{ o3: "ACME", n3: "Beta", e3: "HEAD:.github/postmortem.yml" },
      },
      { auth: token },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ratelimit-resource")).toBe("graphql");
    expect(res.body).toEqual({
      data: {
        f0: { object: { text: CONFIG, isBinary: false } },
        f1: { object: { text: BETA_CONFIG, isBinary: false } },
        f2: { object: null },
        f3: { object: { text: BETA_CONFIG, isBinary: false } },
      },
    });
    const calls = standin.apiCallsSince(mark);
    expect(standin.describeCalls(calls)).toEqual(["POST /graphql 200"]);
    expect(calls[0]).toMatchObject({ write: false, refused: false, unimplemented: false, graphql: { operation: "query", fields: ["repository"] } });
  });

  it("answers object by expression like GitHub: other branches and revisions null, a directory a Tree, a bare revision the head Commit", async () => {
    const query = `query($e0: String!, $e1: String!, $e2: String!, $e3: String!, $e4: String!, $e5: String!) {
      repository(owner: "acme", name: "alpha") {
        a: object(expression: $e0) { __typename ... on Blob { text byteSize oid } }
        b: object(expression: $e1) { __typename }
        c: object(expression: $e2) { __typename }
        d: object(expression: $e3) { __typename }
        e: object(expression: $e4) { __typename ... on Blob { text } }
        f: object(expression: $e5) { __typename ... on Blob { text } }
      }
    }`;
    const res = await gql(
      standin,
      query,
      { e0: "main:docs/guide.md", e1: "develop:docs/guide.md", e2: "HEAD:docs", e3: "HEAD", e4: "refs/heads/main:.github/postmortem.yml", e5: "HEAD~1:docs/guide.md" },
      { auth: token },
    );
    expect(res.body.errors).toBeUndefined();
    const repo = res.body.data?.repository as Record<string, { __typename: string; text?: string; byteSize?: number; oid?: string } | null>;
    expect(repo.a).toEqual({ __typename: "Blob", text: "# Guide\n", byteSize: 8, oid: expect.stringMatching(/^[0-9a-f]{40}$/) as unknown });
    expect(repo.b).toBeNull();
    expect(repo.c).toEqual({ __typename: "Tree" });
    expect(repo.d).toEqual({ __typename: "Commit" });
    expect(repo.e).toEqual({ __typename: "Blob", text: CONFIG });
    expect(repo.f).toBeNull();

    // A push is seen by the next read.
    await standin.pushFiles("acme", "alpha", { "docs/guide.md": "# Guide v2\n" }, { message: "docs" });
    const again = await gql(standin, readFilesQuery(1), { o0: "acme", n0: "alpha", e0: "HEAD:docs/guide.md" }, { auth: token });
    expect(again.body).toEqual({ data: { f0: { object: { text: "# Guide v2\n", isBinary: false } } } });
  });

  it("answers an unknown, foreign or out-of-token repository with null + NOT_FOUND at its alias, the other aliases still resolved", async () => {
    const mark = standin.mark();
    const vars = {
      ...{ o0: "acme", n0: "alpha", e0: "HEAD:.github/postmortem.yml" },
      ...{ o1: "acme", n1: "nope", e1: "HEAD:.github/postmortem.yml" },
      ...{ o2: "globex", n2: "secret", e2: "HEAD:.github/postmortem.yml" },
    };
    const res = await gql(standin, readFilesQuery(3), vars, { auth: token });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ f0: { object: { text: CONFIG, isBinary: false } }, f1: null, f2: null });
    expect(res.body.errors).toEqual([
      { type: "NOT_FOUND", path: ["f1"], locations: [{ line: 3, column: 3 }], message: "Could not resolve to a Repository with the name 'acme/nope'." },
      { type: "NOT_FOUND", path: ["f2"], locations: [{ line: 4, column: 3 }], message: "Could not resolve to a Repository with the name 'globex/secret'." },
    ]);

    // A token limited to acme/alpha sees nothing else of its own installation either.
    const minted = await fetch(`${standin.apiBase}/app/installations/${INSTALLATION}/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${makeJwt(key.privateKey)}`, "content-type": "application/json" },
      body: JSON.stringify({ repositories: ["alpha"] }),
    });
    expect(minted.status).toBe(201);
    const limited = `token ${((await minted.json()) as { token: string }).token}`;
    const onlyAlpha = await gql(
      standin,
      readFilesQuery(2),
      { ...{ o0: "acme", n0: "beta", e0: "HEAD:.github/postmortem.yml" }, ...{ o1: "acme", n1: "alpha", e1: "HEAD:.github/postmortem.yml" } },
      { auth: limited },
    );
    expect(onlyAlpha.body.data).toEqual({ f0: null, f1: { object: { text: CONFIG, isBinary: false } } });
    expect(onlyAlpha.body.errors?.map((e) => [e.type, e.path, e.message])).toEqual([
      ["NOT_FOUND", ["f0"], "Could not resolve to a Repository with the name 'acme/beta'."],
    ]);
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual(["POST /graphql 200", "POST /graphql 200"]);
  });

  it("lists issues with any of the labels, case-insensitively, open and closed, oldest first, without pull requests", async () => {
    const mark = standin.mark();
    const res = await gql(standin, listQuery(1, " totalCount"), { o0: "acme", n0: "alpha", l0: ["POSTMORTEM"] }, { auth: token });
    expect(res.body.errors).toBeUndefined();
    const issues = issuesOf(res);
    expect(issues.nodes.map((n) => n.title)).toEqual(["Imported", "Outage", "Both"]);
    expect(issues.totalCount).toBe(3);
    expect(issues.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) as unknown });
    const rest = standin.issue("acme", "alpha", num("Outage"));
    expect(issues.nodes[1]).toEqual({
      number: num("Outage"),
      title: "Outage",
      url: rest?.html_url,
      body: "body of Outage",
      state: "OPEN",
      createdAt: "2024-01-01T00:00:01Z",
      labels: { nodes: [{ name: "Postmortem" }] },
    });
    expect(issues.nodes[2]).toMatchObject({ title: "Both", state: "CLOSED", labels: { nodes: [{ name: "Postmortem" }, { name: "bug" }] } });

    // The pull request carries the label and REST lists it as one; GraphQL's issues never do.
    const pr = standin.issue("acme", "alpha", num("A pull request"));
    expect(pr?.pull_request?.html_url).toBe(`https://github.com/acme/alpha/pull/${num("A pull request")}`);
    expect(pr?.labels.map((l) => l.name)).toEqual(["Postmortem"]);

    // Any of several labels; no labels = every issue (still no pull request).
    const any = await gql(standin, listQuery(1), { o0: "acme", n0: "alpha", l0: ["incident-review", "postmortem"] }, { auth: token });
    expect(numbers(any)).toEqual(["Imported", "Outage", "Both", "Mobile"].map(num));
    const all = await gql(standin, listQuery(1), { o0: "acme", n0: "alpha", l0: null }, { auth: token });
    expect(numbers(all)).toEqual(["Imported", "Outage", "Flaky", "Both", "Unlabelled", "Mobile"].map(num));
    const none = await gql(standin, listQuery(1), { o0: "acme", n0: "alpha", l0: ["no-such-label"] }, { auth: token });
    expect(issuesOf(none)).toEqual({ pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] });
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual(Array(4).fill("POST /graphql 200"));
  });

  it("filters by states and by filterBy.since (updated at or after; null = no filter)", async () => {
    const byState = `query($states: [IssueState!], $since: DateTime, $order: IssueOrder) {
      repository(owner: "acme", name: "alpha") {
        issues(first: 10, labels: ["postmortem", "bug"], states: $states, filterBy: { since: $since }, orderBy: $order) { nodes { number state } }
      }
    }`;
    const run = async (vars: Record<string, unknown>): Promise<Array<{ number: number; state: string }>> => {
      const res = await gql(standin, byState, vars, { auth: token });
      expect(res.body.errors).toBeUndefined();
      return (res.body.data?.repository as { issues: { nodes: Array<{ number: number; state: string }> } }).issues.nodes;
    };
    expect(await run({ states: ["CLOSED"] })).toEqual([{ number: num("Both"), state: "CLOSED" }]);
    expect((await run({ states: ["OPEN"] })).map((n) => n.number)).toEqual(["Imported", "Outage", "Flaky"].map(num));
    expect((await run({ states: null })).map((n) => n.number)).toEqual(["Imported", "Outage", "Flaky", "Both"].map(num));

    // "Both" was closed (updated) at 2024-02-01T00:00:00Z; the others were last updated when opened.
    expect((await run({ since: "2024-01-15T00:00:00Z" })).map((n) => n.number)).toEqual([num("Both")]);
    expect((await run({ since: "2024-02-01T00:00:00Z" })).map((n) => n.number)).toEqual([num("Both")]);
    expect((await run({ since: "2024-01-31T19:00:00-05:00" })).map((n) => n.number)).toEqual([num("Both")]);
    expect((await run({ since: "2024-02-01T00:00:01Z" })).map((n) => n.number)).toEqual([]);
    expect((await run({ since: "2024-01-01T00:00:02Z" })).map((n) => n.number)).toEqual(["Flaky", "Both"].map(num));
    expect((await run({ since: null })).map((n) => n.number)).toEqual(["Imported", "Outage", "Flaky", "Both"].map(num));
    // Other orders.
    expect((await run({ order: { field: "CREATED_AT", direction: "DESC" } })).map((n) => n.number)).toEqual(["Both", "Flaky", "Outage", "Imported"].map(num));
    expect((await run({ order: { field: "UPDATED_AT", direction: "DESC" } })).map((n) => n.number)[0]).toBe(num("Both"));

    // The app's document, with since.
    const res = await gql(standin, listQuery(1), { since: "2024-01-15T00:00:00Z", o0: "acme", n0: "alpha", l0: ["postmortem"] }, { auth: token });
    expect(numbers(res)).toEqual([num("Both")]);

    const invalid = await gql(standin, byState, { since: "last tuesday" }, { auth: token });
    expect(invalid.body.data).toEqual({ repository: null });
    expect(invalid.body.errors?.[0]?.path).toEqual(["repository", "issues"]);
  });

  it("pages 250 issues 100 at a time: every issue exactly once, in creation order, with stable cursors", async () => {
    const mark = standin.mark();
    const seen: number[] = [];
    const pages: IssuesJson[] = [];
    let after: string | null = null;
    do {
      const res = await gql(standin, listQuery(1, " totalCount"), { o0: "acme", n0: "many", l0: ["Postmortem"], c0: after }, { auth: token });
      expect(res.body.errors).toBeUndefined();
      const page = issuesOf(res);
      pages.push(page);
      seen.push(...page.nodes.map((n) => n.number));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(pages.map((p) => [p.nodes.length, p.pageInfo.hasNextPage, p.totalCount])).toEqual([
      [100, true, 250],
      [100, true, 250],
      [50, false, 250],
    ]);
    expect(seen).toHaveLength(250);
    expect(seen).toEqual(manyOrder);
    const createdAts = pages.flatMap((p) => p.nodes.map((n) => n.createdAt));
    expect([...createdAts].sort()).toEqual(createdAts);
    // The same cursor gives the same page again.
    const again = await gql(standin, listQuery(1), { o0: "acme", n0: "many", l0: ["postmortem"], c0: pages[0]?.pageInfo.endCursor }, { auth: token });
    expect(numbers(again)).toEqual(pages[1]?.nodes.map((n) => n.number));
    // One call per request.
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual(Array(4).fill("POST /graphql 200"));

    const garbage = await gql(standin, listQuery(1), { o0: "acme", n0: "many", l0: ["postmortem"], c0: "not-a-cursor" }, { auth: token });
    expect(garbage.body.data).toEqual({ r0: null });
    expect(garbage.body.errors?.map((e) => [e.type, e.path])).toEqual([["INVALID_CURSOR_ARGUMENTS", ["r0", "issues"]]]);
  });

  it("reads several repositories in one request, each with its own labels and cursor; an unknown one is null + NOT_FOUND", async () => {
    const first = await gql(standin, listQuery(1), { o0: "acme", n0: "many", l0: ["postmortem"] }, { auth: token });
    const cursor = issuesOf(first).pageInfo.endCursor;
    const mark = standin.mark();
    const res = await gql(
      standin,
      listQuery(4),
      {
        ...{ o0: "acme", n0: "alpha", l0: ["incident-review"], c0: null },
        ...{ o1: "acme", n1: "many", l1: ["postmortem"], c1: cursor },
        ...{ o2: "acme", n2: "missing", l2: ["postmortem"], c2: null },
        ...{ o3: "globex", n3: "secret", l3: ["postmortem"] },
      },
      { auth: token },
    );
    expect(res.status).toBe(200);
    expect(numbers(res, "r0")).toEqual([num("Mobile")]);
    expect(issuesOf(res, "r0").pageInfo.hasNextPage).toBe(false);
    expect(numbers(res, "r1")).toEqual(manyOrder.slice(100, 200));
    expect(issuesOf(res, "r1").pageInfo.hasNextPage).toBe(true);
    expect(res.body.data?.r2).toBeNull();
    expect(res.body.data?.r3).toBeNull();
    expect(res.body.errors?.map((e) => [e.type, e.path, e.message])).toEqual([
      ["NOT_FOUND", ["r2"], "Could not resolve to a Repository with the name 'acme/missing'."],
      ["NOT_FOUND", ["r3"], "Could not resolve to a Repository with the name 'globex/secret'."],
    ]);
    const calls = standin.apiCallsSince(mark);
    expect(standin.describeCalls(calls)).toEqual(["POST /graphql 200"]);
    expect(calls[0]).toMatchObject({ route: "POST /graphql", write: false, graphql: { operation: "query", fields: ["repository"] } });
  });

  it("refuses first > 100 and a missing first/last like GitHub; refuses filters it does not implement", async () => {
    const mark = standin.mark();
    const literal = await gql(standin, listQuery(1).replace("first: 100", "first: 101"), { o0: "acme", n0: "alpha", l0: ["postmortem"] }, { auth: token });
    expect(literal.body.data).toBeUndefined();
    expect(literal.body.errors?.map((e) => [e.type, e.message])).toEqual([
      ["EXCESSIVE_PAGINATION", "Requesting 101 records on the `issues` connection exceeds the `first` limit of 100 records."],
    ]);
    const missing = await gql(standin, listQuery(1).replace("first: 100, ", ""), { o0: "acme", n0: "alpha", l0: ["postmortem"] }, { auth: token });
    expect(missing.body.errors?.map((e) => [e.type, e.message])).toEqual([
      ["MISSING_PAGINATION_BOUNDARIES", "You must provide a `first` or `last` value to properly paginate the `issues` connection."],
    ]);
    const byVariable = await gql(
      standin,
      `query($n: Int) { r0: repository(owner: "acme", name: "alpha") { issues(first: $n) { totalCount } } }`,
      { n: 101 },
      { auth: token },
    );
    expect(byVariable.body.data).toEqual({ r0: null });
    expect(byVariable.body.errors?.map((e) => [e.type, e.path])).toEqual([["EXCESSIVE_PAGINATION", ["r0", "issues"]]]);

    const byAuthor = await gql(
      standin,
      `query { repository(owner: "acme", name: "alpha") { issues(first: 1, filterBy: { createdBy: "alice" }) { totalCount } } }`,
      {},
      { auth: token },
    );
    expect(byAuthor.body.errors?.map((e) => e.message)).toEqual(["not implemented by the stand-in: Repository.issues(filterBy: {createdBy})"]);

    const calls = standin.apiCallsSince(mark);
    expect(calls.map((c) => [c.route, c.status, c.refused])).toEqual([
      ["POST /graphql", 200, true],
      ["POST /graphql", 200, true],
      ["POST /graphql", 200, false],
      ["POST /graphql", 200, false],
    ]);
  });
});
