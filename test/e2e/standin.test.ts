// Self-tests of the GitHub stand-in and the app harness, over real HTTP.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createHash, createSign, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { ProbotOctokit } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateTestAppKey, signWebhook, startApp, type RunningApp } from "./harness.js";
import { NO_SUCH_OPERATION, startStandin, type Standin } from "./standin/server.js";

const APP_ID = 314159;
const INSTALLATION = 77;
const OTHER_INSTALLATION = 88;
const key = generateTestAppKey();

function makeJwt(privateKey: string, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const unsigned = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 540, iss: APP_ID, ...claims })}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(privateKey).toString("base64url");
  return `${unsigned}.${signature}`;
}

interface ApiResult {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

async function api(
  standin: Standin,
  method: string,
  path: string,
  opts: { auth?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResult> {
  const res = await fetch(`${standin.apiBase}${path}`, {
    method,
    headers: {
      accept: "application/vnd.github+json",
      ...(opts.auth ? { authorization: opts.auth } : {}),
      ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
      ...opts.headers,
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

async function newStandin(): Promise<Standin> {
  const standin = await startStandin({ appId: APP_ID, publicKey: key.publicKey, slug: "postmortem-bot" });
  standin.addInstallation({ id: INSTALLATION, account: "acme" });
  standin.addRepo({
    owner: "acme",
    name: "incidents",
    installationId: INSTALLATION,
    files: { ".github/postmortem.yml": "reviewers:\n  - alice\n", "docs/guide/readme.md": "# Guide\n" },
  });
  standin.addInstallation({ id: OTHER_INSTALLATION, account: "globex" });
  standin.addRepo({ owner: "globex", name: "secret", private: true, installationId: OTHER_INSTALLATION });
  return standin;
}

describe("GitHub stand-in over HTTP", () => {
  let standin: Standin;
  let token: string;

  beforeAll(async () => {
    standin = await newStandin();
    token = `token ${standin.createInstallationToken(INSTALLATION)}`;
  });
  afterAll(async () => {
    await standin.close();
  });

  it("knows the real operation list and refuses anything else with 404", async () => {
    expect(standin.operationKeys.length).toBeGreaterThan(900);
    for (const k of standin.implemented) expect(standin.operationKeys).toContain(k);

    const mark = standin.mark();
    // GitHub has no REST operation to delete an issue.
    const del = await api(standin, "DELETE", "/repos/acme/incidents/issues/1", { auth: token });
    expect(del.status).toBe(404);
    expect(del.json()).toEqual({ message: NO_SUCH_OPERATION });
    const made_up = await api(standin, "GET", "/repos/acme/incidents/postmortems", { auth: token });
    expect(made_up.status).toBe(404);
    const outside = await fetch(`${standin.url}/repos/acme/incidents`);
    expect(outside.status).toBe(404);

    const calls = standin.callsSince(mark);
    expect(calls.map((c) => [c.method, c.route, c.status, c.refused])).toEqual([
      ["DELETE", null, 404, true],
      ["GET", null, 404, true],
      ["GET", null, 404, true],
    ]);
    expect(calls[0]?.installationId).toBe(INSTALLATION);
    expect(standin.refused.length).toBe(3);
  });

  it("answers 501 for a real operation it does not implement, naming the template", async () => {
    const mark = standin.mark();
    const pulls = await api(standin, "GET", "/repos/acme/incidents/pulls", { auth: token });
    expect(pulls.status).toBe(501);
    expect(pulls.json()).toEqual({ message: "stand-in does not implement GET /repos/{owner}/{repo}/pulls" });
    // The most specific template wins: issues/comments is the repo-wide list, not issue "comments".
    const repoComments = await api(standin, "GET", "/repos/acme/incidents/issues/comments", { auth: token });
    expect(repoComments.json()).toEqual({ message: "stand-in does not implement GET /repos/{owner}/{repo}/issues/comments" });
    expect(standin.callsSince(mark).map((c) => [c.route, c.status, c.unimplemented, c.refused])).toEqual([
      ["GET /repos/{owner}/{repo}/pulls", 501, true, false],
      ["GET /repos/{owner}/{repo}/issues/comments", 501, true, false],
    ]);
  });

  it("exchanges an app JWT for an installation token and scopes the token to its installation", async () => {
    const mark = standin.mark();
    const jwt = makeJwt(key.privateKey);

    const app = await api(standin, "GET", "/app", { auth: `Bearer ${jwt}` });
    expect(app.status).toBe(200);
    expect(app.json()).toMatchObject({ id: APP_ID, slug: "postmortem-bot", owner: { login: "postmortem-bot-dev" } });

    const created = await api(standin, "POST", `/app/installations/${INSTALLATION}/access_tokens`, { auth: `Bearer ${jwt}`, body: {} });
    expect(created.status).toBe(201);
    const body = created.json() as { token: string; expires_at: string; repository_selection: string; permissions: Record<string, string> };
    expect(body.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(body.repository_selection).toBe("all");
    expect(body.permissions.issues).toBe("write");
    const ttl = Date.parse(body.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(3590_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);

    const repo = await api(standin, "GET", "/repos/acme/incidents", { auth: `token ${body.token}` });
    expect(repo.status).toBe(200);
    expect(repo.json()).toMatchObject({
      full_name: "acme/incidents",
      private: false,
      visibility: "public",
      default_branch: "main",
      owner: { login: "acme", type: "Organization" },
    });
    // Bearer works for installation tokens too.
    expect((await api(standin, "GET", "/repos/acme/incidents", { auth: `Bearer ${body.token}` })).status).toBe(200);
    // Another installation's repository is invisible, as on GitHub.
    expect((await api(standin, "GET", "/repos/globex/secret", { auth: `token ${body.token}` })).status).toBe(404);

    const calls = standin.callsSince(mark);
    expect(standin.describeCalls(calls)).toEqual([
      "GET /app 200",
      "POST /app/installations/{installation_id}/access_tokens 201",
      "GET /repos/{owner}/{repo} 200",
      "GET /repos/{owner}/{repo} 200",
      "GET /repos/{owner}/{repo} 404",
    ]);
    expect(calls.map((c) => c.auth)).toEqual(["app", "app", "installation", "installation", "installation"]);
    expect(calls[1]?.installationId).toBe(INSTALLATION);
    expect(calls[2]?.installationId).toBe(INSTALLATION);
    expect(standin.apiCallsSince(mark).length).toBe(3);
  });

  it("refuses bad credentials", async () => {
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const tokenPath = `/app/installations/${INSTALLATION}/access_tokens`;
    const wrongKey = await api(standin, "POST", tokenPath, { auth: `Bearer ${makeJwt(stranger)}` });
    expect(wrongKey.status).toBe(401);
    expect(String((wrongKey.json() as { message: string }).message)).toMatch(/could not be decoded/);
    expect((await api(standin, "POST", tokenPath, { auth: `Bearer ${makeJwt(key.privateKey, { iss: 1 })}` })).status).toBe(401);
    expect((await api(standin, "POST", tokenPath, { auth: `Bearer ${makeJwt(key.privateKey, { iss: String(APP_ID) })}` })).status).toBe(201);
    const now = Math.floor(Date.now() / 1000);
    expect((await api(standin, "POST", tokenPath, { auth: `Bearer ${makeJwt(key.privateKey, { exp: now - 1 })}` })).status).toBe(401);
    expect((await api(standin, "POST", tokenPath, { auth: token })).status).toBe(401);
    expect((await api(standin, "POST", "/app/installations/999/access_tokens", { auth: `Bearer ${makeJwt(key.privateKey)}` })).status).toBe(404);
    expect((await api(standin, "GET", "/repos/acme/incidents", { auth: "token ghs_unknown" })).status).toBe(401);
    expect((await api(standin, "GET", "/repos/acme/incidents")).status).toBe(401);
    expect((await api(standin, "GET", "/repos/acme/incidents", { auth: `Bearer ${makeJwt(key.privateKey)}` })).status).toBe(401);
  });

  it("serves contents raw (text/plain), as base64 JSON, with ETag/304, and 404 when absent", async () => {
    const raw = await api(standin, "GET", "/repos/acme/incidents/contents/.github%2Fpostmortem.yml", {
      auth: token,
      headers: { accept: "application/vnd.github.v3.raw" },
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(raw.text).toBe("reviewers:\n  - alice\n");

    const asJson = await api(standin, "GET", "/repos/acme/incidents/contents/.github/postmortem.yml", { auth: token });
    expect(asJson.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const file = asJson.json() as { type: string; encoding: string; content: string; path: string; name: string; size: number; sha: string };
    expect(file).toMatchObject({ type: "file", encoding: "base64", path: ".github/postmortem.yml", name: "postmortem.yml", size: 21 });
    expect(Buffer.from(file.content, "base64").toString("utf8")).toBe("reviewers:\n  - alice\n");
    // git's blob sha of the content
    expect(file.sha).toBe(createHash("sha1").update("blob 21\0reviewers:\n  - alice\n").digest("hex"));

    const etag = raw.headers.get("etag");
    expect(etag).toBeTruthy();
    const mark = standin.mark();
    const again = await api(standin, "GET", "/repos/acme/incidents/contents/.github%2Fpostmortem.yml", {
      auth: token,
      headers: { accept: "application/vnd.github.v3.raw", "if-none-match": etag ?? "" },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(standin.callsSince(mark).map((c) => [c.status, c.notModified])).toEqual([[304, true]]);
    expect(standin.callsSince(mark, { excludeNotModified: true })).toEqual([]);

    standin.setFile("acme", "incidents", ".github/postmortem.yml", "reviewers: []\n");
    const changed = await api(standin, "GET", "/repos/acme/incidents/contents/.github%2Fpostmortem.yml", {
      auth: token,
      headers: { accept: "application/vnd.github.v3.raw", "if-none-match": etag ?? "" },
    });
    expect(changed.status).toBe(200);
    expect(changed.text).toBe("reviewers: []\n");

    expect((await api(standin, "GET", "/repos/acme/incidents/contents/.github%2Fmissing.yml", { auth: token })).status).toBe(404);
    expect((await api(standin, "GET", "/repos/acme/incidents/contents/.github%2Fpostmortem.yml?ref=main", { auth: token })).status).toBe(200);
    expect((await api(standin, "GET", "/repos/acme/incidents/contents/.github%2Fpostmortem.yml?ref=feature", { auth: token })).status).toBe(404);
    standin.deleteFile("acme", "incidents", ".github/postmortem.yml");
    expect((await api(standin, "GET", "/repos/acme/incidents/contents/.github%2Fpostmortem.yml", { auth: token })).status).toBe(404);
    standin.setFile("acme", "incidents", ".github/postmortem.yml", "reviewers:\n  - alice\n");

    // A directory is a JSON listing even when raw is asked for (Probot's config plugin relies on that).
    const dir = await api(standin, "GET", "/repos/acme/incidents/contents/docs", { auth: token, headers: { accept: "application/vnd.github.v3.raw" } });
    expect(dir.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect((dir.json() as Array<{ path: string; type: string }>).map((e) => [e.path, e.type])).toEqual([["docs/guide", "dir"]]);
  });

  it("works with Probot's own Octokit: config plugin, pagination via Link, conditional requests", async () => {
    const octokit = new ProbotOctokit({ auth: { token: standin.createInstallationToken(INSTALLATION) }, baseUrl: standin.apiBase });
    const { config } = await octokit.config.get({ owner: "acme", repo: "incidents", path: ".github/postmortem.yml" });
    expect(config).toEqual({ reviewers: ["alice"] });
    const mark = standin.mark();
    const missing = await octokit.config.get({ owner: "acme", repo: "incidents", path: ".github/absent.yml" });
    // Absent everywhere: an empty object, after also trying the owner's ".github" repository.
    expect(missing.config).toEqual({});
    expect(standin.callsSince(mark).map((c) => [c.path, c.status])).toEqual([
      ["/repos/acme/incidents/contents/.github%2Fabsent.yml", 404],
      ["/repos/acme/.github/contents/.github%2Fabsent.yml", 404],
    ]);

    standin.webhooksEnabled = false;
    const issue = await standin.openIssue({ owner: "acme", repo: "incidents", title: "Paginate me", body: "x", user: "alice" });
    for (let i = 1; i <= 5; i++) await standin.comment("acme", "incidents", issue.number, `comment ${i}`, "bob");
    standin.webhooksEnabled = true;
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: "acme", repo: "incidents", issue_number: issue.number, per_page: 2 });
    expect(all.map((c) => c.body)).toEqual(["comment 1", "comment 2", "comment 3", "comment 4", "comment 5"]);
    expect(all[0]?.html_url).toBe(`https://github.com/acme/incidents/issues/${issue.number}#issuecomment-${all[0]?.id}`);
  });

  it("paginates comments with per_page and a Link header using its own base URL", async () => {
    standin.webhooksEnabled = false;
    const issue = await standin.openIssue({ owner: "acme", repo: "incidents", title: "Links", user: "alice" });
    for (let i = 1; i <= 5; i++) await standin.comment("acme", "incidents", issue.number, `c${i}`, "bob");
    standin.webhooksEnabled = true;
    const base = `${standin.apiBase}/repos/acme/incidents/issues/${issue.number}/comments`;

    const p1 = await api(standin, "GET", `/repos/acme/incidents/issues/${issue.number}/comments?per_page=2`, { auth: token });
    expect((p1.json() as Array<{ body: string }>).map((c) => c.body)).toEqual(["c1", "c2"]);
    expect(p1.headers.get("link")).toBe(`<${base}?per_page=2&page=2>; rel="next", <${base}?per_page=2&page=3>; rel="last"`);

    const p3 = await api(standin, "GET", `/repos/acme/incidents/issues/${issue.number}/comments?per_page=2&page=3`, { auth: token });
    expect((p3.json() as Array<{ body: string }>).map((c) => c.body)).toEqual(["c5"]);
    expect(p3.headers.get("link")).toBe(`<${base}?per_page=2&page=2>; rel="prev", <${base}?per_page=2&page=1>; rel="first"`);

    const one = await api(standin, "GET", `/repos/acme/incidents/issues/${issue.number}/comments`, { auth: token });
    expect((one.json() as unknown[]).length).toBe(5);
    expect(one.headers.get("link")).toBeNull();
  });

  it("creates labels, refuses duplicates with 422, and edits issue labels like GitHub", async () => {
    const created = await api(standin, "POST", "/repos/acme/incidents/labels", {
      auth: token,
      body: { name: "sev1", color: "B60205", description: "Severity 1" },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ name: "sev1", color: "b60205", description: "Severity 1", default: false });

    const dup = await api(standin, "POST", "/repos/acme/incidents/labels", { auth: token, body: { name: "SEV1" } });
    expect(dup.status).toBe(422);
    expect(dup.json()).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "Label", code: "already_exists", field: "name" }],
    });
    expect((await api(standin, "GET", "/repos/acme/incidents/labels/Sev1", { auth: token })).status).toBe(200);
    expect((await api(standin, "GET", "/repos/acme/incidents/labels/nope", { auth: token })).status).toBe(404);

    standin.webhooksEnabled = false;
    const issue = await standin.openIssue({ owner: "acme", repo: "incidents", title: "Labels", user: "alice" });
    standin.webhooksEnabled = true;
    const added = await api(standin, "POST", `/repos/acme/incidents/issues/${issue.number}/labels`, {
      auth: token,
      body: { labels: ["Sev1", "brand-new"] },
    });
    expect(added.status).toBe(200);
    expect((added.json() as Array<{ name: string; color: string }>).map((l) => [l.name, l.color])).toEqual([
      ["sev1", "b60205"],
      ["brand-new", "ededed"],
    ]);
    const notOn = await api(standin, "DELETE", `/repos/acme/incidents/issues/${issue.number}/labels/other`, { auth: token });
    expect(notOn.status).toBe(404);
    const replaced = await api(standin, "PUT", `/repos/acme/incidents/issues/${issue.number}/labels`, { auth: token, body: { labels: ["brand-new"] } });
    expect((replaced.json() as Array<{ name: string }>).map((l) => l.name)).toEqual(["brand-new"]);
    expect(standin.issue("acme", "incidents", issue.number)?.labels.map((l) => l.name)).toEqual(["brand-new"]);

    const list = await api(standin, "GET", "/repos/acme/incidents/labels?per_page=1", { auth: token });
    expect((list.json() as unknown[]).length).toBe(1);
    expect(list.headers.get("link")).toContain('rel="next"');
  });

  it("lists issues with state/labels filters and reports permissions as GitHub does", async () => {
    standin.webhooksEnabled = false;
    standin.createLabel("acme", "incidents", { name: "postmortem" });
    const a = await standin.openIssue({ owner: "acme", repo: "incidents", title: "PM A", labels: ["postmortem", "not-a-label"], user: "alice" });
    const b = await standin.openIssue({ owner: "acme", repo: "incidents", title: "PM B", labels: ["postmortem"], user: "alice" });
    await standin.closeIssue("acme", "incidents", b.number, { reason: "not_planned" }, "alice");
    standin.webhooksEnabled = true;
    // Labels unknown to the repository are dropped, as for issue forms.
    expect(a.labels.map((l) => l.name)).toEqual(["postmortem"]);

    const open = await api(standin, "GET", "/repos/acme/incidents/issues?labels=postmortem", { auth: token });
    expect((open.json() as Array<{ number: number }>).map((i) => i.number)).toEqual([a.number]);
    const closed = await api(standin, "GET", "/repos/acme/incidents/issues?labels=POSTMORTEM&state=closed", { auth: token });
    expect(closed.json()).toMatchObject([{ number: b.number, state: "closed", state_reason: "not_planned" }]);
    const both = await api(standin, "GET", "/repos/acme/incidents/issues?labels=postmortem&state=all&direction=asc", { auth: token });
    expect((both.json() as Array<{ number: number }>).map((i) => i.number)).toEqual([a.number, b.number]);

    const got = await api(standin, "GET", `/repos/acme/incidents/issues/${a.number}`, { auth: token });
    expect(got.json()).toMatchObject({
      number: a.number,
      title: "PM A",
      html_url: `https://github.com/acme/incidents/issues/${a.number}`,
      user: { login: "alice", type: "User" },
      state: "open",
      locked: false,
      comments: 0,
      performed_via_github_app: null,
    });
    const etag = got.headers.get("etag") ?? "";
    const cached = await api(standin, "GET", `/repos/acme/incidents/issues/${a.number}`, { auth: token, headers: { "if-none-match": etag } });
    expect(cached.status).toBe(304);

    standin.setPermission("acme", "incidents", "mia", "maintain");
    standin.setPermission("acme", "incidents", "tom", "triage");
    const mia = await api(standin, "GET", "/repos/acme/incidents/collaborators/mia/permission", { auth: token });
    expect(mia.json()).toMatchObject({ permission: "write", role_name: "maintain", user: { login: "mia" } });
    const tom = await api(standin, "GET", "/repos/acme/incidents/collaborators/tom/permission", { auth: token });
    expect(tom.json()).toMatchObject({ permission: "read", role_name: "triage" });
  });

  it("injects faults on a route a given number of times", async () => {
    const fault = standin.injectFault({ route: "GET /repos/{owner}/{repo}", times: 1, status: 502, body: { message: "Server Error" } });
    expect((await api(standin, "GET", "/repos/acme/incidents", { auth: token })).status).toBe(502);
    expect((await api(standin, "GET", "/repos/acme/incidents", { auth: token })).status).toBe(200);
    expect(fault.hits).toBe(1);
    expect(fault.remaining).toBe(0);
    standin.injectFault({ route: "/repos/{owner}/{repo}", times: 1, drop: true });
    await expect(api(standin, "GET", "/repos/acme/incidents", { auth: token })).rejects.toThrow();
    expect(standin.calls.at(-1)).toMatchObject({ status: 0, fault: true });
  });
});

describe("webhooks from the stand-in", () => {
  let standin: Standin;
  let receiver: Server;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const SECRET = "shh";

  beforeAll(async () => {
    standin = await newStandin();
    standin.createLabel("acme", "incidents", { name: "postmortem", color: "5319e7" });
    standin.createLabel("acme", "incidents", { name: "sev2" });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
    standin.setWebhookTarget(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, SECRET);
  });
  afterAll(async () => {
    await standin.close();
    await new Promise((r) => receiver.close(r));
  });
  afterEach(() => {
    received.length = 0;
  });

  it("sends signed issues.opened then one issues.labeled per label for a human's issue form", async () => {
    const mark = standin.mark();
    const issue = await standin.openIssue({
      owner: "acme",
      repo: "incidents",
      title: "Checkout outage",
      body: "### Summary\n\nIt broke",
      labels: ["postmortem", "sev2"],
      user: "alice",
    });
    await standin.idle();
    const ds = standin.deliveriesSince(mark);
    expect(ds.map((d) => `${d.event}.${d.action} ${d.status}`)).toEqual(["issues.opened 200", "issues.labeled 200", "issues.labeled 200"]);
    expect(ds.map((d) => d.payload.label?.name)).toEqual([undefined, "postmortem", "sev2"]);
    expect(ds[0]?.payload).toMatchObject({
      action: "opened",
      issue: { number: issue.number, title: "Checkout outage", labels: [{ name: "postmortem" }, { name: "sev2" }] },
      repository: { full_name: "acme/incidents", private: false, default_branch: "main", owner: { login: "acme" } },
      organization: { login: "acme" },
      installation: { id: INSTALLATION },
      sender: { login: "alice", type: "User" },
    });

    expect(received.length).toBe(3);
    for (const r of received) {
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["user-agent"]).toBe("GitHub-Hookshot/standin");
      expect(r.headers["x-hub-signature-256"]).toBe(signWebhook(SECRET, r.body));
      expect(String(r.headers["x-github-delivery"])).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(received.map((r) => r.headers["x-github-event"])).toEqual(["issues", "issues", "issues"]);
  });

  it("carries old values in edited changes, and sends comment/close events", async () => {
    standin.webhooksEnabled = false;
    const issue = await standin.openIssue({ owner: "acme", repo: "incidents", title: "Old title", body: "old body", user: "alice" });
    standin.webhooksEnabled = true;
    const mark = standin.mark();
    await standin.editIssue("acme", "incidents", issue.number, { title: "New title", body: "new body" }, "bob");
    const c = await standin.comment("acme", "incidents", issue.number, "first", "bob");
    await standin.editComment("acme", "incidents", c.id, "first (edited)", "bob");
    await standin.deleteComment("acme", "incidents", c.id, "bob");
    await standin.closeIssue("acme", "incidents", issue.number, { reason: "completed" }, "bob");
    await standin.reopenIssue("acme", "incidents", issue.number, "bob");
    await standin.idle();
    const ds = standin.deliveriesSince(mark);
    expect(ds.map((d) => `${d.event}.${d.action}`)).toEqual([
      "issues.edited",
      "issue_comment.created",
      "issue_comment.edited",
      "issue_comment.deleted",
      "issues.closed",
      "issues.reopened",
    ]);
    expect(ds[0]?.payload.changes).toEqual({ title: { from: "Old title" }, body: { from: "old body" } });
    expect(ds[2]?.payload.changes).toEqual({ body: { from: "first" } });
    expect(ds[1]?.payload.comment).toMatchObject({ id: c.id, body: "first", user: { login: "bob" } });
    expect(ds[4]?.payload.issue).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(ds[5]?.payload.issue).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
  });

  it("redelivers with the same id and body; sends arbitrary deliveries; sends push", async () => {
    const first = standin.deliveries[0];
    if (!first) throw new Error("no delivery yet");
    const again = await standin.redeliver(first.id);
    expect(again).toMatchObject({ id: first.id, body: first.body, status: 200, source: "redelivery" });
    expect(received.at(-1)?.headers["x-github-delivery"]).toBe(first.id);
    expect(received.at(-1)?.body).toBe(first.body);

    const custom = await standin.sendWebhook("ping", { zen: "Keep it logically awesome." }, { signature: "sha256=bad" });
    expect(custom.status).toBe(200);
    expect(received.at(-1)?.headers["x-hub-signature-256"]).toBe("sha256=bad");

    const mark = standin.mark();
    await standin.pushFiles("acme", "incidents", { ".github/postmortem.yml": "new: true\n", "docs/guide/readme.md": null, "NEW.md": "n" }, { sender: "carol" });
    await standin.idle();
    const [push] = standin.deliveriesSince(mark);
    expect(push?.event).toBe("push");
    expect(push?.payload).toMatchObject({
      ref: "refs/heads/main",
      commits: [{ added: ["NEW.md"], modified: [".github/postmortem.yml"], removed: ["docs/guide/readme.md"] }],
      head_commit: { added: ["NEW.md"] },
      sender: { login: "carol" },
    });
    expect(standin.file("acme", "incidents", ".github/postmortem.yml")).toBe("new: true\n");
  });

  it("sends webhooks for the app's own writes with the bot as sender, after answering", async () => {
    const appToken = `token ${standin.createInstallationToken(INSTALLATION)}`;
    const mark = standin.mark();
    const created = await api(standin, "POST", "/repos/acme/incidents/issues", {
      auth: appToken,
      body: { title: "Filed by the bot", body: "b", labels: ["postmortem"] },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ user: { login: "postmortem-bot[bot]", type: "Bot" }, performed_via_github_app: { slug: "postmortem-bot" } });
    await standin.idle();
    const ds = standin.deliveriesSince(mark);
    expect(ds.map((d) => `${d.event}.${d.action}`)).toEqual(["issues.opened", "issues.labeled"]);
    expect(ds[0]?.payload.sender).toMatchObject({ login: "postmortem-bot[bot]", type: "Bot", id: standin.botUserId });
  });
});

describe("round trip with the real Probot process", () => {
  let standin: Standin;
  let app: RunningApp | undefined;
  let dir: string;
  const SECRET = "round-trip-secret";

  beforeAll(async () => {
    standin = await newStandin();
    dir = mkdtempSync(join(tmpdir(), "standin-app-"));
    const appPath = join(dir, "app.mjs");
    writeFileSync(
      appPath,
      `export default (app) => {
  app.on("issues.opened", async (context) => {
    await context.octokit.rest.issues.createComment(context.issue({ body: "hi" }));
  });
};
`,
    );
    app = await startApp({ standin, appId: APP_ID, privateKey: key.privateKey, secret: SECRET, appPath });
  });
  afterAll(async () => {
    await app?.stop();
    await standin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("delivers a human's issue to the app, which comments as the bot, counted exactly", async () => {
    const mark = standin.mark();
    const issue = await standin.openIssue({ owner: "acme", repo: "incidents", title: "Outage", body: "details", user: "alice" });
    await standin.idle();

    const comments = standin.comments("acme", "incidents", issue.number);
    expect(comments.map((c) => [c.body, c.user.login, c.user.type])).toEqual([["hi", "postmortem-bot[bot]", "Bot"]]);
    expect(comments[0]?.performed_via_github_app?.id).toBe(APP_ID);

    const ds = standin.deliveriesSince(mark);
    expect(ds.map((d) => `${d.event}.${d.action} ${d.status}`)).toEqual(["issues.opened 200", "issue_comment.created 200"]);
    expect(ds[1]?.payload.sender).toMatchObject({ login: "postmortem-bot[bot]", type: "Bot" });
    expect(ds[1]?.payload.comment?.id).toBe(comments[0]?.id);

    expect(standin.describeCalls(standin.callsSince(mark))).toEqual([
      "POST /app/installations/{installation_id}/access_tokens 201",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments 201",
    ]);
    const apiCalls = standin.apiCallsSince(mark);
    expect(apiCalls.map((c) => [c.installationId, c.write])).toEqual([[INSTALLATION, true]]);
    // Probot tags each API call with the delivery it is handling.
    expect(standin.callsForDelivery(ds[0]?.id ?? "").map((c) => c.route)).toEqual([
      "POST /app/installations/{installation_id}/access_tokens",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
    expect(app?.errorLogs()).toEqual([]);
  });

  it("the app rejects a delivery with a bad signature and accepts a redelivery", async () => {
    const opened = standin.deliveries.find((d) => d.event === "issues" && d.action === "opened");
    if (!opened) throw new Error("no issues.opened delivery");
    const bad = await standin.sendWebhook("issues", opened.body, { signature: "sha256=" + "0".repeat(64) });
    expect(bad.status).toBe(400);
    expect(bad.responseBody).toContain("signature does not match");
    // The app logs the refusal after it has answered; wait for the line rather than racing it.
    // (Probot sometimes logs the same refusal twice; every error line must be this refusal.)
    for (let i = 0; i < 100 && (app?.errorLogs().length ?? 0) < 1; i++) await new Promise((r) => setTimeout(r, 20));
    const errors = app?.errorLogs() ?? [];
    expect(errors.length).toBeGreaterThanOrEqual(1);
    for (const line of errors) expect(JSON.stringify(line)).toContain("signature does not match");

    const mark = standin.mark();
    const again = await standin.redeliver(opened.id);
    expect(again.status).toBe(200);
    await standin.idle();
    // The throwaway app is not idempotent: a redelivery makes a second comment.
    expect(standin.comments("acme", "incidents", opened.payload.issue?.number ?? 0).map((c) => c.body)).toEqual(["hi", "hi"]);
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/comments 201"]);
  });
});
