import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ProbotOctokit } from "probot";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defaultForm } from "../../src/config/setup.js";
import { validatePostmortem } from "../../src/postmortem/validate.js";
import { createMemoryCoordinator } from "../../src/runtime/coordination.js";
import { createMetrics, metricsHandler, routeLabel, type AppMetrics } from "../../src/runtime/prometheus.js";
import { body, configFixture, FIXTURE_NOW } from "../helpers/fixtures.js";

async function value(metrics: AppMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(`postmortem_bot_${name}`);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.find((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l) && Object.keys(labels).length === Object.keys(v.labels).filter((k) => k !== "le").length)?.value;
}

describe("createMetrics", () => {
  it("counts webhooks by event and action, and times handlers with their outcome", async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    metrics.webhookReceived("issues", "opened");
    metrics.webhookReceived("issues", "opened");
    metrics.webhookReceived("push");
    expect(await value(metrics, "webhooks_received_total", { event: "issues", action: "opened" })).toBe(2);
    expect(await value(metrics, "webhooks_received_total", { event: "push", action: "" })).toBe(1);

    await expect(metrics.timeHandler("issues.opened", async () => 42)).resolves.toBe(42);
    await expect(metrics.timeHandler("issues.opened", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/postmortem_bot_handler_duration_seconds_count\{event="issues.opened",outcome="ok"\} 1/);
    expect(text).toMatch(/postmortem_bot_handler_duration_seconds_count\{event="issues.opened",outcome="error"\} 1/);

    metrics.recordError("handler");
    expect(await value(metrics, "errors_total", { kind: "handler" })).toBe(1);
  });

  it("exports the coordinator's de-duplicated deliveries and lock waits on every scrape", async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const coordinator = createMemoryCoordinator();
    metrics.watchCoordinator(coordinator);
    expect(await value(metrics, "deliveries_duplicate_total")).toBe(0);
    await coordinator.claimDelivery("d1");
    await coordinator.claimDelivery("d1");
    await coordinator.claimDelivery("d1");
    await coordinator.withLock("k", async () => {});
    expect(await value(metrics, "deliveries_claimed_total")).toBe(1);
    expect(await value(metrics, "deliveries_duplicate_total")).toBe(2);
    expect(await value(metrics, "lock_acquisitions_total")).toBe(1);
    expect(await value(metrics, "lock_waits_total")).toBe(0);
    expect(await metrics.registry.metrics()).toContain("# TYPE postmortem_bot_deliveries_duplicate_total counter\npostmortem_bot_deliveries_duplicate_total 2");
    await coordinator.close();
  });

  it("observes postmortems by severity and status, TTD/TTR only when ready, once per key while unchanged", async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const config = configFixture("configs/teams.yml");
    const ready = validatePostmortem({ body: body("complete"), form: defaultForm(), config, now: FIXTURE_NOW });
    const incomplete = validatePostmortem({ body: body("incomplete"), form: defaultForm(), config, now: FIXTURE_NOW });
    expect(ready.valid).toBe(true);
    metrics.observePostmortem(ready, { key: "acme/incidents#1" });
    metrics.observePostmortem(ready, { key: "acme/incidents#1" });
    metrics.observePostmortem(incomplete, { key: "acme/incidents#2" });
    metrics.observePostmortem(incomplete);
    expect(await value(metrics, "postmortems_seen_total", { severity: "SEV2", status: "ready" })).toBe(1);
    expect(await value(metrics, "postmortems_seen_total", { severity: "unspecified", status: "incomplete" })).toBe(2);
    const text = await metrics.registry.metrics();
    // TTD 12 min = 720 s: above the 600 s bucket, within the 1800 s one.
    expect(text).toContain('postmortem_bot_postmortem_ttd_seconds_bucket{le="600",severity="SEV2"} 0');
    expect(text).toContain('postmortem_bot_postmortem_ttd_seconds_bucket{le="1800",severity="SEV2"} 1');
    expect(text).toContain('postmortem_bot_postmortem_ttd_seconds_sum{severity="SEV2"} 720');
    expect(text).toContain('postmortem_bot_postmortem_ttr_seconds_sum{severity="SEV2",ttr_from="started"} 5880');
    expect(text).toContain('postmortem_bot_postmortem_ttr_seconds_count{severity="SEV2",ttr_from="started"} 1');
  });

  it("observes the error budget of ready postmortems by SLO, window and level", async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const config = { ...configFixture("configs/teams.yml"), slos: [{ name: "checkout availability", target: 99.9, window: "30d" }] };
    const withSlo = body("complete").replace("### Root causes\n", "### Affected SLOs\n\ncheckout availability\n\n### Affected share\n\n38%\n\n### Root causes\n");
    const evaluation = { level: "SEV1", by: "carol", at: "2026-11-21T00:00:00Z", reason: "payments down" };
    const ready = validatePostmortem({ body: withSlo, form: defaultForm(), config, now: FIXTURE_NOW, evaluation });
    expect(ready.valid).toBe(true);
    metrics.observePostmortem(ready, { key: "acme/incidents#1" });
    metrics.observePostmortem(ready, { key: "acme/incidents#1" });
    const text = await metrics.registry.metrics();
    // 98 min × 38% ÷ 43.2 min = 86.2%, at the evaluated level SEV1 (declared SEV2).
    expect(text).toContain('postmortem_bot_error_budget_consumed_percent_sum{slo="checkout availability",window="30d",level="SEV1"} 86.2');
    expect(text).toContain('postmortem_bot_error_budget_consumed_percent_bucket{le="75",slo="checkout availability",window="30d",level="SEV1"} 0');
    expect(text).toContain('postmortem_bot_error_budget_consumed_percent_bucket{le="100",slo="checkout availability",window="30d",level="SEV1"} 1');
  });

  it("normalizes routes to bounded labels", () => {
    expect(routeLabel("get", "/repos/{owner}/{repo}/issues")).toBe("GET /repos/{owner}/{repo}/issues");
    expect(routeLabel("GET", "https://api.github.com/repositories/123/issues?page=2")).toBe("GET /repositories/{repository_id}/issues");
    expect(routeLabel("GET", "http://127.0.0.1:9/api/v3/repos/acme/payments/issues?per_page=100&page=3")).toBe("GET /repos/{owner}/{repo}/issues");
    expect(routeLabel("PATCH", "/repos/acme/x/issues/comments/991")).toBe("PATCH /repos/{owner}/{repo}/issues/comments/{id}");
    expect(routeLabel("GET", "/orgs/acme/repos")).toBe("GET /orgs/{org}/repos");
  });
});

describe("instrumentOctokit", () => {
  let server: Server;
  let baseUrl = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      const headers = { "content-type": "application/json", "x-ratelimit-remaining": "4321", "x-ratelimit-resource": "core" };
      if (req.url?.startsWith("/repos/acme/x/issues/1")) return void res.writeHead(200, headers).end(JSON.stringify({ number: 1 }));
      if (req.url?.startsWith("/repos/acme/x/issues?") && !req.url.includes("page=2")) {
        return void res.writeHead(200, { ...headers, link: `<${baseUrl}/repos/acme/x/issues?per_page=1&page=2>; rel="next"` }).end(JSON.stringify([{ number: 1 }]));
      }
      if (req.url?.startsWith("/repos/acme/x/issues?")) return void res.writeHead(200, { ...headers, "x-ratelimit-remaining": "4319" }).end(JSON.stringify([{ number: 2 }]));
      res.writeHead(404, headers).end(JSON.stringify({ message: "Not Found" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("counts calls by route and status (pages too) and records x-ratelimit-remaining", async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const octokit = new ProbotOctokit({ auth: { token: "t" }, baseUrl, throttle: { enabled: false }, retry: { enabled: false } });
    metrics.instrumentOctokit(octokit);
    metrics.instrumentOctokit(octokit); // idempotent
    await octokit.rest.issues.get({ owner: "acme", repo: "x", issue_number: 1 });
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: "acme", repo: "x", per_page: 1 });
    expect(all).toHaveLength(2);
    await expect(octokit.rest.repos.get({ owner: "acme", repo: "gone" })).rejects.toMatchObject({ status: 404 });
    expect(await value(metrics, "github_api_calls_total", { route: "GET /repos/{owner}/{repo}/issues/{issue_number}", status: "200" })).toBe(1);
    expect(await value(metrics, "github_api_calls_total", { route: "GET /repos/{owner}/{repo}/issues", status: "200" })).toBe(2);
    expect(await value(metrics, "github_api_calls_total", { route: "GET /repos/{owner}/{repo}", status: "404" })).toBe(1);
    expect(await value(metrics, "github_rate_limit_remaining", { resource: "core" })).toBe(4321);
  });
});

describe("metricsHandler", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  async function serve(handler: ReturnType<typeof metricsHandler>): Promise<string> {
    const server = createServer(async (req, res) => {
      if (!(await handler(req, res))) res.writeHead(404).end("not handled");
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("serves Prometheus text at /metrics and leaves other paths alone", async () => {
    const metrics = createMetrics(new Registry());
    metrics.webhookReceived("issues", "edited");
    const url = await serve(metricsHandler({ metrics, token: undefined }));
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain('postmortem_bot_webhooks_received_total{event="issues",action="edited"} 1');
    expect(text).toContain("postmortem_bot_process_cpu_seconds_total");
    expect((await fetch(`${url}/other`)).status).toBe(404);
    expect(await (await fetch(`${url}/other`)).text()).toBe("not handled");
    expect((await fetch(`${url}/metrics`, { method: "POST" })).status).toBe(405);
  });

  it("requires Authorization: Bearer <token> when a token is set", async () => {
    const metrics = createMetrics(new Registry(), { defaultMetrics: false });
    const url = await serve(metricsHandler({ metrics, token: "s3cret" }));
    const none = await fetch(`${url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect((await fetch(`${url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: "Bearer s3cret-and-more" } })).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: "Basic s3cret" } })).status).toBe(401);
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: "Bearer s3cret" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("# TYPE postmortem_bot_webhooks_received_total counter");
    // /healthz needs no token.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("reads METRICS_TOKEN from the environment when no token option is given", async () => {
    const before = process.env.METRICS_TOKEN;
    process.env.METRICS_TOKEN = "from-env";
    try {
      const url = await serve(metricsHandler({ metrics: createMetrics(new Registry(), { defaultMetrics: false }) }));
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: "Bearer from-env" } })).status).toBe(200);
    } finally {
      if (before === undefined) delete process.env.METRICS_TOKEN;
      else process.env.METRICS_TOKEN = before;
    }
  });

  it("/healthz: 200 {status: ok} when ready, 503 while shutting down", async () => {
    let ready = true;
    const url = await serve(metricsHandler({ metrics: createMetrics(new Registry(), { defaultMetrics: false }), token: "x", isReady: () => ready }));
    const ok = await fetch(`${url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });
    ready = false;
    const down = await fetch(`${url}/healthz?probe=1`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "draining" });
  });

  it("/healthz carries extra fields when asked (e.g. the in-flight count)", async () => {
    let inFlight = 3;
    const url = await serve(metricsHandler({ metrics: createMetrics(new Registry(), { defaultMetrics: false }), token: undefined, health: () => ({ inFlight }) }));
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok", inFlight: 3 });
    inFlight = 0;
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok", inFlight: 0 });
  });
});
