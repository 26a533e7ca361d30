import { isDeepStrictEqual } from "node:util";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  escapeMrkdwn,
  overdueDigestMessage,
  parseSlackEnv,
  publishedMessage,
  recommendedMessage,
  retryAfterMs,
  slackFromEnv,
  SlackNotifier,
  type OverdueItem,
  type PublishedNotice,
  type SlackFetch,
  type SlackLog,
  type SlackMessage,
  type SlackRoutes,
} from "../../src/integrations/slack.js";

// nock 14 (through @mswjs/interceptors) intercepts Node 20's global fetch, so these
// tests go through the notifier's default `fetch`; only the timeout and
// "never blocks" tests inject one, to control time and ordering.

const HOOKS = "https://hooks.slack.com";
const ACME_PATH = "/services/TACME/BACME/acme-secret-token";
const DEFAULT_PATH = "/services/TDEF/BDEF/default-secret-token";
const ACME = `${HOOKS}${ACME_PATH}`;
const DEFAULT = `${HOOKS}${DEFAULT_PATH}`;

/** A nock body matcher: the request body is exactly this payload. */
const exactly = (message: SlackMessage) => (body: unknown) => isDeepStrictEqual(body, JSON.parse(JSON.stringify(message)));

interface Entry {
  level: keyof SlackLog;
  obj: object;
  msg?: string;
}

function recorder() {
  const entries: Entry[] = [];
  const at = (level: keyof SlackLog) => (obj: object, msg?: string) => void entries.push({ level, obj, msg });
  const log: SlackLog = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { log, entries, dump: () => JSON.stringify(entries), levels: () => entries.filter((e) => e.level !== "debug").map((e) => e.level) };
}

function notifier(routes: Partial<SlackRoutes> = {}, extra: { fetch?: SlackFetch } = {}) {
  const logs = recorder();
  const waits: number[] = [];
  const slack = new SlackNotifier(
    { owners: routes.owners ?? new Map([["acme", ACME]]), fallback: routes.fallback === undefined ? DEFAULT : routes.fallback },
    { log: logs.log, sleep: async (ms) => void waits.push(ms), ...extra },
  );
  return { slack, logs, waits };
}

const published: PublishedNotice = {
  owner: "acme",
  repo: "api",
  number: 42,
  title: "Checkout outage",
  url: "https://github.com/acme/api/issues/42",
  severity: "SEV1",
  ttdSeconds: 12 * 60,
  ttrSeconds: 83 * 60,
  actionItems: 3,
  ttrFrom: "started",
  language: "en",
};

beforeAll(() => {
  nock.disableNetConnect();
});

afterAll(() => {
  nock.enableNetConnect();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("message builders", () => {
  it("escapes Slack's control characters", () => {
    expect(escapeMrkdwn("a & b <!channel> <@U123> c>d")).toBe("a &amp; b &lt;!channel&gt; &lt;@U123&gt; c&gt;d");
  });

  it("builds the published message", () => {
    expect(publishedMessage(published)).toEqual({
      text: "Postmortem published: acme/api#42 Checkout outage",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Postmortem published: acme/api#42" } },
        { type: "section", text: { type: "mrkdwn", text: "*<https://github.com/acme/api/issues/42|Checkout outage>*" } },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Severity*\nSEV1" },
            { type: "mrkdwn", text: "*Action items*\n3" },
            { type: "mrkdwn", text: "*TTD*\n12m" },
            { type: "mrkdwn", text: "*TTR*\n1h 23m" },
          ],
        },
        { type: "context", elements: [{ type: "mrkdwn", text: "TTD = detected − impact started; TTR = recovered − impact started" }] },
      ],
    });
  });

  it("states the TTR definition in force and shows missing numbers as a dash", () => {
    const message = publishedMessage({ ...published, ttrFrom: "detected", ttdSeconds: null, ttrSeconds: 45, severity: null, actionItems: 0 });
    expect(message.blocks.slice(2)).toEqual([
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: "*Severity*\nnot given" },
          { type: "mrkdwn", text: "*Action items*\n0" },
          { type: "mrkdwn", text: "*TTD*\n—" },
          { type: "mrkdwn", text: "*TTR*\n45s" },
        ],
      },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: "TTD = detected − impact started; TTR = recovered − detected (metrics.ttr_from: detected)" }],
      },
    ]);
  });

  it("escapes user text, so a title cannot ping a channel or a user or inject a link", () => {
    const message = publishedMessage({ ...published, title: "<!channel> DB & cache <@U123> <https://evil.example|click> @here", severity: "SEV1 <!here>" });
    const escaped = "&lt;!channel&gt; DB &amp; cache &lt;@\u200bU123&gt; &lt;https://evil.example|click&gt; @\u200bhere";
    expect(message.text).toBe(`Postmortem published: acme/api#42 ${escaped}`);
    expect(message.blocks[1]).toEqual({ type: "section", text: { type: "mrkdwn", text: `*<https://github.com/acme/api/issues/42|${escaped}>*` } });
    expect(message.blocks[2]).toMatchObject({ fields: [{ text: "*Severity*\nSEV1 &lt;!here&gt;" }, {}, {}, {}] });
    const json = JSON.stringify(message);
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<!here>");
    expect(json).not.toContain("<@U123>");
  });

  it("builds the recommended message", () => {
    expect(
      recommendedMessage({
        owner: "acme",
        repo: "api",
        number: 42,
        title: "Checkout outage <3",
        url: "https://github.com/acme/api/issues/42",
        reason: "lessons",
        reasonDescription: "Lessons anyone can apply & reuse",
        by: "alice",
        language: "en",
      }),
    ).toEqual({
      text: "Recommended reading: acme/api#42 Checkout outage &lt;3",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Recommended reading: acme/api#42" } },
        { type: "section", text: { type: "mrkdwn", text: "*<https://github.com/acme/api/issues/42|Checkout outage &lt;3>*" } },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Reason*\nlessons — Lessons anyone can apply &amp; reuse" },
            { type: "mrkdwn", text: "*Recommended by*\nalice" },
          ],
        },
        { type: "context", elements: [{ type: "mrkdwn", text: "Added to the postmortem reading list." }] },
      ],
    });
    const plain = recommendedMessage({ owner: "acme", repo: "api", number: 1, title: "t", url: "https://github.com/acme/api/issues/1", reason: null, reasonDescription: null, by: null, language: "en" as const });
    expect(plain.blocks[2]).toEqual({ type: "section", fields: [{ type: "mrkdwn", text: "*Reason*\n—" }, { type: "mrkdwn", text: "*Recommended by*\n—" }] });
  });

  it("builds the overdue digest, most overdue first", () => {
    const items: OverdueItem[] = [
      { title: "Add alert on queue depth", url: "https://github.com/acme/payments/issues/7", due: "2024-05-10", owner: "@acme/payments" },
      { title: "Rotate <keys> & certs", url: "https://github.com/acme/infra/issues/3", due: "2024-04-01", owner: "@bob" },
      { title: "Runbook for failover", url: "https://github.com/acme/infra/issues/9", due: "2024-05-10", owner: "@acme/sre" },
    ];
    expect(overdueDigestMessage("acme", items)).toEqual({
      text: "3 overdue postmortem follow-ups in acme",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Overdue postmortem follow-ups: acme" } },
        { type: "section", text: { type: "mrkdwn", text: "*3 follow-ups are past their due date.*" } },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              "• <https://github.com/acme/infra/issues/3|Rotate &lt;keys&gt; &amp; certs> — due 2024-04-01 · @\u200bbob",
              "• <https://github.com/acme/payments/issues/7|Add alert on queue depth> — due 2024-05-10 · @\u200bacme/payments",
              "• <https://github.com/acme/infra/issues/9|Runbook for failover> — due 2024-05-10 · @\u200bacme/sre",
            ].join("\n"),
          },
        },
      ],
    });
  });

  it("lists at most 20 items, counts the rest, and keeps every section under 3,000 characters", () => {
    const items = Array.from({ length: 25 }, (_, i) => ({
      title: `${"&".repeat(140)} ${String(i).padStart(2, "0")}`,
      url: `https://github.com/acme/api/issues/${i + 1}`,
      due: `2024-01-${String(i + 1).padStart(2, "0")}`,
      owner: "@acme/sre",
    }));
    const message = overdueDigestMessage("acme", items);
    expect(message.text).toBe("25 overdue postmortem follow-ups in acme");
    const sections = message.blocks.filter((b) => b.type === "section" && "text" in b).slice(1) as { text: { text: string } }[];
    const lines = sections.flatMap((s) => s.text.text.split("\n"));
    expect(lines).toHaveLength(20);
    expect(lines[0]).toContain("due 2024-01-01");
    expect(lines[19]).toContain("due 2024-01-20");
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(3000);
    expect(message.blocks.at(-1)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "…and 5 more." }] });
  });

  it("words a single overdue item in the singular", () => {
    const message = overdueDigestMessage("acme", [{ title: "t", url: "https://github.com/acme/api/issues/1", due: "2024-01-01", owner: "@a" }]);
    expect(message.text).toBe("1 overdue postmortem follow-up in acme");
    expect(message.blocks[1]).toEqual({ type: "section", text: { type: "mrkdwn", text: "*1 follow-up is past its due date.*" } });
  });
});

describe("configuration from the environment", () => {
  it("is off when nothing is set", () => {
    expect(parseSlackEnv({})).toBeNull();
    expect(parseSlackEnv({ SLACK_WEBHOOK_URL: " ", SLACK_WEBHOOK_URLS: "" })).toBeNull();
    const { log, entries } = recorder();
    expect(slackFromEnv({}, log)).toBeNull();
    expect(entries).toEqual([]);
  });

  it("takes one URL for every org", () => {
    expect(parseSlackEnv({ SLACK_WEBHOOK_URL: ACME })).toEqual({ ok: true, routes: { owners: new Map(), fallback: ACME } });
  });

  it("maps org logins case-insensitively, with a default and an opt-out", () => {
    const env = { SLACK_WEBHOOK_URLS: JSON.stringify({ AcMe: ACME, quiet: null, "*": DEFAULT }) };
    expect(parseSlackEnv(env)).toEqual({ ok: true, routes: { owners: new Map<string, string | null>([["acme", ACME], ["quiet", null]]), fallback: DEFAULT } });
    const { log } = recorder();
    const slack = slackFromEnv(env, log)!;
    expect(slack.enabledFor("ACME")).toBe(true);
    expect(slack.enabledFor("other")).toBe(true);
    expect(slack.enabledFor("Quiet")).toBe(false);
    const withoutDefault = slackFromEnv({ SLACK_WEBHOOK_URLS: JSON.stringify({ acme: ACME }) }, log)!;
    expect(withoutDefault.enabledFor("other")).toBe(false);
  });

  it("uses SLACK_WEBHOOK_URL as the default for orgs the map does not name", () => {
    expect(parseSlackEnv({ SLACK_WEBHOOK_URL: DEFAULT, SLACK_WEBHOOK_URLS: JSON.stringify({ acme: ACME }) })).toEqual({
      ok: true,
      routes: { owners: new Map([["acme", ACME]]), fallback: DEFAULT },
    });
  });

  it("allows plain http only on loopback, for tests", () => {
    expect(parseSlackEnv({ SLACK_WEBHOOK_URL: "http://127.0.0.1:9999/hook" })).toMatchObject({ ok: true });
    expect(parseSlackEnv({ SLACK_WEBHOOK_URL: "http://localhost:9999/hook" })).toMatchObject({ ok: true });
  });

  it.each([
    [{ SLACK_WEBHOOK_URLS: `{"acme": ${ACME}}` }, "Slack notifications are off: SLACK_WEBHOOK_URLS is not valid JSON; it should be an object like"],
    [{ SLACK_WEBHOOK_URLS: `{"acme": "${ACME}",}` }, "SLACK_WEBHOOK_URLS is not valid JSON (at character"],
    [{ SLACK_WEBHOOK_URLS: JSON.stringify([ACME]) }, "SLACK_WEBHOOK_URLS must be a JSON object mapping org logins to webhook URLs"],
    [{ SLACK_WEBHOOK_URL: `http://hooks.slack.com${ACME_PATH}` }, "SLACK_WEBHOOK_URL must be an https:// URL (it is http://hooks.slack.com/…)"],
    [{ SLACK_WEBHOOK_URLS: JSON.stringify({ acme: `http://hooks.slack.com${ACME_PATH}` }) }, 'SLACK_WEBHOOK_URLS["acme"] must be an https:// URL (it is http://hooks.slack.com/…)'],
    [{ SLACK_WEBHOOK_URLS: JSON.stringify({ acme: "acme-secret-token" }) }, 'SLACK_WEBHOOK_URLS["acme"] is not a valid URL'],
    [{ SLACK_WEBHOOK_URLS: JSON.stringify({ acme: 42 }) }, 'SLACK_WEBHOOK_URLS["acme"] must be a webhook URL string (or null for no notifications)'],
    [{ SLACK_WEBHOOK_URLS: JSON.stringify({ acme: ACME, ACME: DEFAULT }) }, 'SLACK_WEBHOOK_URLS["ACME"] names "acme" a second time (logins are case-insensitive)'],
    [{ SLACK_WEBHOOK_URL: DEFAULT, SLACK_WEBHOOK_URLS: JSON.stringify({ "*": DEFAULT }) }, 'SLACK_WEBHOOK_URL and SLACK_WEBHOOK_URLS["*"] both set the default webhook; keep one'],
  ])("reports bad config %#, without echoing the secret", (env, message) => {
    const parsed = parseSlackEnv(env);
    expect(parsed).toMatchObject({ ok: false });
    const error = (parsed as { error: string }).error;
    expect(error).toContain(message);
    expect(error).not.toContain("secret-token");
  });

  it("names every problem in one message", () => {
    const parsed = parseSlackEnv({ SLACK_WEBHOOK_URLS: JSON.stringify({ a: "nope", b: `http://x.example${ACME_PATH}`, c: ACME }) });
    expect(parsed).toEqual({
      ok: false,
      error: 'Slack notifications are off: SLACK_WEBHOOK_URLS["a"] is not a valid URL; SLACK_WEBHOOK_URLS["b"] must be an https:// URL (it is http://x.example/…).',
    });
  });

  it("reports bad config once, at startup, and returns no notifier (the app runs on)", () => {
    const { log, entries } = recorder();
    expect(slackFromEnv({ SLACK_WEBHOOK_URLS: `{"acme": ${ACME}` }, log)).toBeNull();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.level).toBe("error");
    expect(entries[0]!.msg).toMatch(/^Slack notifications are off: SLACK_WEBHOOK_URLS is not valid JSON/);
    expect(JSON.stringify(entries)).not.toContain("secret-token");
  });

  it("says at startup where messages go, by host only", () => {
    const { log, entries } = recorder();
    expect(slackFromEnv({ SLACK_WEBHOOK_URLS: JSON.stringify({ acme: ACME, quiet: null, "*": DEFAULT }) }, log)).toBeInstanceOf(SlackNotifier);
    expect(entries).toEqual([
      { level: "info", obj: { slack: { orgs: ["acme -> hooks.slack.com", "quiet -> off"], default: "hooks.slack.com" } }, msg: "Slack notifications on" },
    ]);
  });
});

describe("SlackNotifier", () => {
  it("posts the exact payload to the org's webhook, case-insensitively", async () => {
    const { slack, logs } = notifier();
    const notice = { ...published, owner: "ACME" };
    const scope = nock(HOOKS)
      .post(ACME_PATH, exactly(publishedMessage(notice)))
      .matchHeader("content-type", /application\/json/)
      .reply(200, "ok");
    await expect(slack.published(notice)).resolves.toEqual({ outcome: "sent", attempts: 1 });
    scope.done();
    expect(logs.levels()).toEqual([]);
  });

  it("sends other orgs to the default webhook, and nothing when there is none", async () => {
    const { slack } = notifier();
    const notice = { owner: "globex", repo: "web", number: 1, title: "t", url: "https://github.com/globex/web/issues/1", reason: "lessons", reasonDescription: null, by: "carol", language: "en" as const };
    const scope = nock(HOOKS).post(DEFAULT_PATH, exactly(recommendedMessage(notice))).reply(200, "ok");
    await expect(slack.recommended(notice)).resolves.toEqual({ outcome: "sent", attempts: 1 });
    scope.done();

    const noDefault = notifier({ fallback: null }).slack;
    await expect(noDefault.recommended(notice)).resolves.toEqual({ outcome: "skipped", reason: "no Slack webhook for globex" });
  });

  it("sends the digest only when something is overdue", async () => {
    const { slack } = notifier();
    const items = [{ title: "t", url: "https://github.com/acme/api/issues/1", due: "2024-01-01", owner: "@a" }];
    await expect(slack.overdueDigest("acme", [])).resolves.toEqual({ outcome: "skipped", reason: "nothing is overdue" });
    const scope = nock(HOOKS).post(ACME_PATH, exactly(overdueDigestMessage("acme", items))).reply(200, "ok");
    await expect(slack.overdueDigest("acme", items)).resolves.toEqual({ outcome: "sent", attempts: 1 });
    scope.done();
  });

  it("retries a Slack outage three times with 1 s and 2 s backoff, logs it without the URL, and resolves", async () => {
    const { slack, logs, waits } = notifier();
    const scope = nock(HOOKS).post(ACME_PATH).times(3).reply(500, "internal_error");
    const delivery = await slack.published(published);
    expect(delivery).toEqual({ outcome: "failed", attempts: 3, reason: "Slack answered HTTP 500 (internal_error)" });
    scope.done();
    expect(waits).toEqual([1000, 2000]);
    expect(logs.entries.map((e) => [e.level, e.msg])).toEqual([
      ["warn", "slack notification failed; will retry"],
      ["warn", "slack notification failed; will retry"],
      ["error", "slack notification failed; giving up"],
    ]);
    expect(logs.entries[0]!.obj).toEqual({ slack: "hooks.slack.com", kind: "published", owner: "acme", attempt: 1, error: "Slack answered HTTP 500 (internal_error)", retryInMs: 1000 });
    expect(logs.entries[2]!.obj).toEqual({ slack: "hooks.slack.com", kind: "published", owner: "acme", attempts: 3, error: "Slack answered HTTP 500 (internal_error)" });
    expect(logs.dump()).not.toContain("secret-token");
    expect(logs.dump()).not.toContain(ACME_PATH);
  });

  it("retries socket errors, and scrubs the URL out of their messages", async () => {
    const { slack, logs, waits } = notifier();
    const socketError = () => Object.assign(new Error(`socket hang up while posting to ${ACME}`), { code: "ECONNRESET" });
    const scope = nock(HOOKS).post(ACME_PATH).replyWithError(socketError()).post(ACME_PATH).replyWithError(socketError()).post(ACME_PATH).replyWithError(socketError());
    const delivery = await slack.published(published);
    expect(delivery).toEqual({ outcome: "failed", attempts: 3, reason: "ECONNRESET: socket hang up while posting to [redacted]" });
    scope.done();
    expect(waits).toEqual([1000, 2000]);
    expect(logs.levels()).toEqual(["warn", "warn", "error"]);
    expect(logs.dump()).toContain("hooks.slack.com");
    expect(logs.dump()).not.toContain("secret-token");
  });

  it("recovers when a retry succeeds", async () => {
    const { slack, logs, waits } = notifier();
    const scope = nock(HOOKS).post(ACME_PATH).replyWithError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })).post(ACME_PATH).reply(200, "ok");
    await expect(slack.published(published)).resolves.toEqual({ outcome: "sent", attempts: 2 });
    scope.done();
    expect(waits).toEqual([1000]);
    expect(logs.levels()).toEqual(["warn"]);
  });

  it("honours retry-after on 429", async () => {
    const { slack, waits } = notifier();
    const scope = nock(HOOKS).post(ACME_PATH).reply(429, "rate_limited", { "retry-after": "7" }).post(ACME_PATH).reply(200, "ok");
    await expect(slack.published(published)).resolves.toEqual({ outcome: "sent", attempts: 2 });
    scope.done();
    expect(waits).toEqual([7000]);
  });

  it("backs off on a 429 without retry-after, and gives up on one asking for too long", async () => {
    const first = notifier();
    let scope = nock(HOOKS).post(ACME_PATH).reply(429, "rate_limited").post(ACME_PATH).reply(200, "ok");
    await expect(first.slack.published(published)).resolves.toEqual({ outcome: "sent", attempts: 2 });
    scope.done();
    expect(first.waits).toEqual([1000]);

    const second = notifier();
    scope = nock(HOOKS).post(ACME_PATH).reply(429, "rate_limited", { "retry-after": "3600" });
    await expect(second.slack.published(published)).resolves.toEqual({
      outcome: "failed",
      attempts: 1,
      reason: "Slack answered HTTP 429 (rate_limited), asking to wait 3600 s, longer than the 60 s this app waits",
    });
    scope.done();
    expect(second.waits).toEqual([]);
  });

  it("does not retry what a retry cannot fix (a removed webhook)", async () => {
    const { slack, logs, waits } = notifier();
    const scope = nock(HOOKS).post(ACME_PATH).reply(404, "no_service");
    await expect(slack.published(published)).resolves.toEqual({ outcome: "failed", attempts: 1, reason: "Slack answered HTTP 404 (no_service)" });
    scope.done();
    expect(waits).toEqual([]);
    expect(logs.levels()).toEqual(["error"]);
  });

  it("gives each attempt a timeout, and retries when it fires", async () => {
    const signals: AbortSignal[] = [];
    const fetch: SlackFetch = async (_url, init) => {
      signals.push(init.signal);
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    };
    const { slack, logs, waits } = notifier({}, { fetch });
    await expect(slack.published(published)).resolves.toEqual({ outcome: "failed", attempts: 3, reason: "timed out after 5000 ms" });
    expect(signals).toHaveLength(3);
    expect(signals.every((s) => s instanceof AbortSignal)).toBe(true);
    expect(waits).toEqual([1000, 2000]);
    expect(logs.levels()).toEqual(["warn", "warn", "error"]);
  });

  it("never blocks the caller, and flush waits for messages in flight", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetch: SlackFetch = async () => {
      await gate;
      return new Response("ok", { status: 200 });
    };
    const { slack } = notifier({}, { fetch });
    let settled = false;
    const delivery = slack.published(published).then((d) => {
      settled = true;
      return d;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    let flushed = false;
    const flushing = slack.flush().then(() => (flushed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(settled).toBe(true);
    await expect(delivery).resolves.toEqual({ outcome: "sent", attempts: 1 });
  });

  it("never throws, even when fetch, the input or the logger misbehave", async () => {
    const throwingFetch: SlackFetch = () => {
      throw new Error("boom");
    };
    const first = notifier({}, { fetch: throwingFetch });
    await expect(first.slack.published(published)).resolves.toMatchObject({ outcome: "failed", attempts: 3, reason: "boom" });

    const second = notifier();
    const broken = { ...published, title: undefined } as unknown as PublishedNotice;
    await expect(second.slack.published(broken)).resolves.toMatchObject({ outcome: "failed", attempts: 0 });
    expect(second.logs.levels()).toEqual(["error"]);

    const angryLog: SlackLog = {
      debug: () => {
        throw new Error("log down");
      },
      info: () => {
        throw new Error("log down");
      },
      warn: () => {
        throw new Error("log down");
      },
      error: () => {
        throw new Error("log down");
      },
    };
    const slack = new SlackNotifier({ owners: new Map(), fallback: ACME }, { log: angryLog, sleep: async () => {} });
    const scope = nock(HOOKS).post(ACME_PATH).reply(500).post(ACME_PATH).reply(200, "ok");
    await expect(slack.published(published)).resolves.toEqual({ outcome: "sent", attempts: 2 });
    scope.done();
  });
});

describe("retryAfterMs", () => {
  it.each([
    ["7", 7000],
    ["0", 0],
    ["Thu, 01 Jan 1970 00:00:10 GMT", 4000],
    ["Thu, 01 Jan 1970 00:00:01 GMT", 0],
    ["soon", null],
    [null, null],
  ])("reads %j as %s", (header, expected) => {
    expect(retryAfterMs(header, 6000)).toBe(expected);
  });
});
