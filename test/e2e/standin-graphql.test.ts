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
