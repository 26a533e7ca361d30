import { writeFileSync } from "node:fs";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body as fixtureBody } from "../helpers/fixtures.js";
import { generateTestAppKey, signWebhook, startApp, type RunningApp } from "./harness.js";
import { startRoundRobin, type RoundRobin } from "./round-robin.js";
import { handlers as builtinHandlers, type HandlerContext, type Reply } from "./standin/handlers.js";
import { startStandin, type DeliveryRecord, type Fault, type IssueJson, type Mark, type Standin } from "./standin/server.js";

/**
 * "Reliability and security at scale": two real `probot run` replicas share
 * the Redis on 127.0.0.1:6379 behind a round-robin load balancer, so
 * consecutive deliveries (and the redeliveries of one delivery) land on
 * different replicas. A burst of opens, edits, publishes, redeliveries,
 * injected API faults and forged webhooks must end exactly as one replica
 * would: one status comment per postmortem, one follow-up per action item,
 * the right labels, every human edit kept, nothing done for a forged request.
 *
 * Probot's throttling is shared through Redis (writes ~1 s apart, creations
 * ~3 s), so the burst is lean. With RELIABILITY_OUT set, the measurements are
 * written there as JSON (scripts/reliability.js turns them into docs/reliability.md).
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const APP_ID = 31_338;
const INSTALLATION = 31_337;
// Redis keys carry the installation id and the owner, so these keep this file's keys apart from any other test's.
const OWNER = "replica-co";
const REPO = "postmortems";
const SECRET = "replicas-e2e-secret";
const PUBLISHED = "postmortem: published";
const FOLLOW_UP_LABEL = "postmortem follow-up";
const CONFIG = `teams:
  team-a: { repo: ${OWNER}/team-a, labels: [team-a] }
  team-b: { repo: ${OWNER}/team-b }
`;
const FORGED_SIGNATURE = `sha256=${"0".repeat(64)}`;
/** Quiet time that counts as settled: longer than the 3 s Probot leaves between two creations. */
const SETTLE_MS = 4_000;

// ---------------------------------------------------------------- bodies

const withSummary = (body: string, tag: string) => body.replace("### Summary\n\n", `### Summary\n\n${tag} `);
const withItems = (body: string, items: string[]) =>
  body.replace(/### Action items\n\n[\s\S]*?\n\n### What went well/, `### Action items\n\n${items.join("\r\n")}\n\n### What went well`);
const complete = (tag: string, items: string[]) => withItems(withSummary(fixtureBody("complete"), tag), items);
const incomplete = (tag: string) => withSummary(fixtureBody("incomplete"), tag);

interface Item {
  /** The follow-up's title: the item's text without its owner and attributes. */
  title: string;
  line: string;
  repo: "team-a" | "team-b";
}
const item = (title: string, team: "team-a" | "team-b", extra = ""): Item => ({ title, line: `- [ ] ${title} — owner: ${team}${extra}`, repo: team });

const ITEMS_A: Item[] = [
  item("Alert on replica lock waits", "team-a", " type: detect due: 2026-12-15"),
  item("Add a load balancer to the staging checklist", "team-b", " type: process"),
  item("Cap webhook handler concurrency per replica", "team-a", " type: prevent"),
];
const ITEMS_B: Item[] = [
  item("Page on Redis latency above 50 ms", "team-b", " type: detect"),
  item("Document the redelivery runbook", "team-a", " type: process"),
  item("Load-test two replicas at 10x", "team-b", " type: prevent"),
];
const ITEM_C = item("Review the checkout retry budget", "team-a");
const ITEM_E = item("Add a timeout to the provider client", "team-b", " type: prevent");
const ITEM_F = item("Rotate the payments on-call weekly", "team-a", " type: process");

// ---------------------------------------------------------------- what the test measures

interface FaultReport {
  kind: string;
  route: string;
  status: number | null;
  delayMs: number | null;
  times: number;
  hits: number;
}

interface LostWrite {
  issue: string;
  what: string;
}

interface Measurements {
  scenario: string;
  replicas: number;
  startedAt: string;
  durationMs: Record<string, number>;
  deliveries: {
    /** Every webhook POSTed to the load balancer during the burst. */
    sent: number;
    /** Caused by people (opens, labels, edits). */
    byPeople: number;
    /** Caused by the app's own writes (GitHub sends them too; the app ignores them). */
    byApp: number;
    /** Redeliveries of a delivery id already sent: duplicates the app must absorb. */
    duplicates: number;
    /** Forged (bad-signature) requests. */
    forged: number;
    /** Redelivered afterwards by the "operator" because the first attempt failed. */
    operatorRedeliveries: number;
    /** Answers by status. */
    byStatus: Record<string, number>;
    /** Requests each replica received from the load balancer. */
    perReplica: number[];
    /** Delivery ids whose attempts reached both replicas. */
    splitAcrossReplicas: number;
  };
  concurrency: {
    /** Human actions and redeliveries started together in one Promise.all. */
    launchedTogether: number;
    /** Most deliveries in flight at the load balancer at one moment. */
    peakInFlight: number;
  };
  faults: FaultReport[];
  unsigned: { sent: number; answered400: number; actedUpon: number };
  statusCommentsPerIssue: Record<string, number>;
  followUpsPerItem: Record<string, number>;
  /** Follow-ups filed that match no action item (or more follow-ups than items). */
  strayFollowUps: number;
  /** Extra status comments plus extra follow-ups (computed at the end). */
  duplicates: number;
  lostWrites: LostWrite[];
  apiCalls: { total: number; writes: number; refused: number; unimplemented: number; faulted: number };
  errorLogLines: number[];
  fuzzCases: string;
  /** Per issue: which replica handled which delivery, and the calls it made (filled when something is wrong). */
  traces: Record<string, string[]>;
  passed: Record<string, boolean>;
}

const measurements: Measurements = {
  scenario: "",
  replicas: 2,
  startedAt: new Date().toISOString(),
  durationMs: {},
  deliveries: { sent: 0, byPeople: 0, byApp: 0, duplicates: 0, forged: 0, operatorRedeliveries: 0, byStatus: {}, perReplica: [], splitAcrossReplicas: 0 },
  concurrency: { launchedTogether: 0, peakInFlight: 0 },
  faults: [],
  unsigned: { sent: 0, answered400: 0, actedUpon: 0 },
  statusCommentsPerIssue: {},
  followUpsPerItem: {},
  strayFollowUps: 0,
  duplicates: 0,
  lostWrites: [],
  apiCalls: { total: 0, writes: 0, refused: 0, unimplemented: 0, faulted: 0 },
  errorLogLines: [],
  fuzzCases: process.env.FC_RUNS ? `FC_RUNS=${process.env.FC_RUNS} per configurable property (test/unit)` : "see test/unit",
  traces: {},
  passed: {},
};

// ---------------------------------------------------------------- the stack

let standin: Standin;
let replicas: RunningApp[] = [];
let proxy: RoundRobin;
let redis: Redis;
const suiteStarted = Date.now();

/** Call hooks: run after the stand-in has answered a matching call (state already changed). */
type CallHook = (ctx: HandlerContext, reply: Reply) => void;
const hooks: Record<string, CallHook[]> = {};
function onCall(route: string, hook: CallHook): void {
  const builtin = builtinHandlers[route];
  if (!builtin) throw new Error(`no built-in handler for ${route}`);
  if (!hooks[route]) {
    hooks[route] = [];
    standin.implement(route, async (ctx) => {
      const reply = await builtin(ctx);
      // After the reply is computed, as a person acting a moment after the app's call.
      for (const h of hooks[route] ?? []) setImmediate(() => h(ctx, reply));
      return reply;
    });
  }
  hooks[route].push(hook);
}

async function deleteKeys(pattern: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== "0");
  return deleted;
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`the multi-replica test needs Redis at ${REDIS_URL} (see docs/testing.md): ${String(error)}`, { cause: error });
  }
  // Locks, fences, the status-comment memory and config generations of an earlier run of this file.
  await deleteKeys(`pmbot:*${INSTALLATION}:${OWNER}*`);

  const key = generateTestAppKey();
  standin = await startStandin({ appId: APP_ID, publicKey: key.publicKey });
  standin.addInstallation({ id: INSTALLATION, account: OWNER });
  standin.addRepo({ owner: OWNER, name: REPO, installationId: INSTALLATION, labels: [{ name: "postmortem" }, { name: PUBLISHED }], files: { ".github/postmortem.yml": CONFIG } });
  standin.addRepo({ owner: OWNER, name: "team-a", installationId: INSTALLATION });
  standin.addRepo({ owner: OWNER, name: "team-b", installationId: INSTALLATION });
  // Publishing needs triage or more from whoever adds the label.
  standin.setPermission(OWNER, REPO, "sre-lead", "maintain");

  const env = { REDIS_URL };
  replicas = await Promise.all([0, 1].map(() => startApp({ standin, appId: APP_ID, privateKey: key.privateKey, secret: SECRET, env })));
  proxy = await startRoundRobin(replicas.map((r) => r.url));
  // startApp pointed the stand-in at the last replica; GitHub talks to the load balancer instead.
  standin.setWebhookTarget(`${proxy.url}/api/github/webhooks`, SECRET);
}, 60_000);

afterAll(async () => {
  measurements.durationMs.suite = Date.now() - suiteStarted;
  measurements.errorLogLines = replicas.map((r) => otherErrors(r).length);
  const extra = (counts: Record<string, number>) => Object.values(counts).reduce((sum, c) => sum + Math.max(0, c - 1), 0);
  measurements.duplicates = extra(measurements.statusCommentsPerIssue) + extra(measurements.followUpsPerItem) + measurements.strayFollowUps;
  const out = process.env.RELIABILITY_OUT;
  if (out) writeFileSync(out, `${JSON.stringify(measurements, null, 2)}\n`);
  await Promise.all(replicas.map((r) => r.stop()));
  await proxy?.close();
  await standin?.close();
  if (redis) {
    await deleteKeys(`pmbot:*${INSTALLATION}:${OWNER}*`).catch(() => 0);
    const ids = [...new Set(standin?.deliveries.map((d) => d.id) ?? [])];
    for (let i = 0; i < ids.length; i += 500) await redis.del(...ids.slice(i, i + 500).map((id) => `pmbot:delivery:${id}`)).catch(() => 0);
    redis.disconnect();
  }
}, 30_000);

// ---------------------------------------------------------------- helpers

/** Settled: no delivery pending, no API call in flight, and nothing at all for SETTLE_MS. */
const settle = () => standin.idle({ quietMs: SETTLE_MS, timeoutMs: 120_000 });

const labelsOf = (n: number) => standin.issue(OWNER, REPO, n)!.labels.map((l) => l.name).sort();
const bodyOf = (n: number) => standin.issue(OWNER, REPO, n)!.body ?? "";
const followUpsIn = (repo: string) => standin.issues(OWNER, repo).filter((i) => i.labels.some((l) => l.name === FOLLOW_UP_LABEL));
const parentRow = (n: number) => `| Postmortem | ${OWNER}/${REPO}#${n} |`;
const followUpsOf = (n: number) =>
  ["team-a", "team-b"].flatMap((repo) => followUpsIn(repo).filter((i) => (i.body ?? "").includes(parentRow(n))).map((i) => ({ repo, issue: i })));
/** A follow-up link the app appends to an item line: ` replica-co/team-a#12`. */
const LINK = new RegExp(` ${OWNER}/team-[ab]#\\d+`, "g");
const isBot = (d: DeliveryRecord) => d.payload.sender?.login === standin.botLogin;
const issueNumberOf = (d: DeliveryRecord) => d.payload.issue?.number;
const isSignatureRefusal = (line: Record<string, unknown>) => JSON.stringify(line).includes("signature does not match");
const otherErrors = (app: RunningApp) => app.errorLogs().filter((l) => !isSignatureRefusal(l));

/** Which replica handled each delivery about this issue, and the calls each delivery made. */
function trace(n: number, since: Mark): string[] {
  const lines: string[] = [];
  for (const d of standin.deliveriesSince(since)) {
    if (issueNumberOf(d) !== n || d.payload.repository?.name !== REPO) continue;
    const attempt = standin.deliveries.filter((x) => x.id === d.id).indexOf(d);
    const replica = proxy.replicasFor(d.id)[attempt];
    const calls = standin.describeCalls(standin.callsForDelivery(d.id));
    const who = d.payload.sender?.login ?? "?";
    lines.push(`${d.id} ${d.event}.${d.action ?? ""} by ${who} (${d.source}) -> replica ${replica ?? "?"} answered ${d.status}${attempt === 0 ? `; calls: ${calls.join(", ") || "none"}` : ""}`);
  }
  return lines;
}

function peakInFlight(): number {
  const edges = proxy.routed.flatMap((r) => [
    { at: r.startedAt, d: 1 },
    { at: r.endedAt || Date.now(), d: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (now += e.d));
  return peak;
}

function faultReport(kind: string, f: Fault): FaultReport {
  return { kind, route: f.route ?? "*", status: f.status ?? null, delayMs: f.delayMs ?? null, times: f.times, hits: f.hits };
}

/** A webhook with this exact body, signed with the wrong key or not at all: GitHub did not send it. */
async function forge(template: DeliveryRecord, signature: string): Promise<DeliveryRecord> {
  return standin.sendWebhook(template.event, template.body, { signature });
}

/** The operator's "Redeliver" for every attempt since the mark that failed (5xx or no answer). */
async function redeliverFailures(since: Mark): Promise<number> {
  const failed = [...new Set(standin.deliveriesSince(since).filter((d) => d.status === 0 || (d.status ?? 0) >= 500).map((d) => d.id))];
  const latestOk = (id: string) => standin.deliveries.some((d) => d.id === id && d.status !== null && d.status > 0 && d.status < 300);
  const again = failed.filter((id) => !latestOk(id));
  await Promise.all(again.map((id) => standin.redeliver(id)));
  if (again.length > 0) await settle();
  return again.length;
}

// ---------------------------------------------------------------- the scenario

describe("two replicas behind a load balancer, end to end", () => {
  it("a burst of opens, edits, publishes, duplicates, faults and forged webhooks ends exactly as one replica would", async () => {
    const started = Date.now();
    const burst = standin.mark();
    const human: Record<string, string> = {};

    // Faults GitHub really answers with: a 502 on creating an issue (Probot retries 5xx), a secondary
    // rate limit on a comment update (403 with retry-after), and slow issue reads that widen every race.
    const fault502 = standin.injectFault({ route: "POST /repos/{owner}/{repo}/issues", times: 1, status: 502 });
    const fault403 = standin.injectFault({
      route: "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
      times: 1,
      status: 403,
      headers: { "retry-after": "1" },
      body: { message: "You have exceeded a secondary rate limit", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits" },
    });
    const faultDelay = standin.injectFault({ route: "GET /repos/{owner}/{repo}/issues/{issue_number}", times: 6, delayMs: 300 });

    // 1. Four postmortems opened at once from the form: `opened` + `labeled` each, to alternating replicas.
    const bodies = {
      A: complete("[A]", ITEMS_A.map((i) => i.line)),
      B: complete("[B]", ITEMS_B.map((i) => i.line)),
      C: incomplete("[C]"),
      D: incomplete("[D]"),
    };
    const opened = await Promise.all(
      (["A", "B", "C", "D"] as const).map((k) => standin.openIssue({ owner: OWNER, repo: REPO, title: `[Postmortem] Replica burst ${k}`, body: bodies[k], labels: ["postmortem"], user: "alice" })),
    );
    const [A, B, C, D] = opened.map((i) => i.number) as [number, number, number, number];
    const names: Record<number, string> = { [A]: "A", [B]: "B", [C]: "C", [D]: "D" };
    for (const [k, v] of Object.entries(bodies)) human[k] = v;
    const openDeliveries = standin.deliveriesSince(burst).filter((d) => d.event === "issues");

    // While A's publish files its follow-ups (at the first creation, well before the app re-reads
    // the body to add links), the author edits A's summary; B's author does the same.
    const editedDuringPublish = new Set<number>();
    onCall("POST /repos/{owner}/{repo}/issues", (_ctx, reply) => {
      const created = reply.body as IssueJson | undefined;
      for (const [n, k] of [[A, "A"], [B, "B"]] as const) {
        if (editedDuringPublish.has(n) || !created?.body?.includes(parentRow(n))) continue;
        editedDuringPublish.add(n);
        const next = withSummary(bodyOf(n), `Edited ${k} while its follow-ups were being filed.`);
        human[k] = next;
        void standin.editIssue(OWNER, REPO, n, { body: next }, "alice");
      }
    });

    // 2. At the same moment: C is fixed, D edited (still incomplete), A and B published, every
    //    `opened`/`labeled` redelivered twice, and five forged webhooks sent to the load balancer.
    human.C = complete("[C] Fixed during the burst.", [ITEM_C.line]);
    human.D = bodies.D.replace("Still investigating why that made our side fail.", "Still investigating why that made our side fail. Edited D during the burst.");
    const forgeTemplate = openDeliveries.find((d) => d.action === "opened" && issueNumberOf(d) === A)!;
    const actions: Array<Promise<unknown>> = [
      standin.editIssue(OWNER, REPO, C, { body: human.C }, "carol"),
      standin.editIssue(OWNER, REPO, D, { body: human.D }, "dave"),
      standin.addLabel(OWNER, REPO, A, PUBLISHED, "sre-lead"),
      standin.addLabel(OWNER, REPO, B, PUBLISHED, "sre-lead"),
      ...openDeliveries.flatMap((d) => [standin.redeliver(d.id), standin.redeliver(d.id)]),
    ];
    const forged = [
      ...[0, 1, 2].map(() => forge(forgeTemplate, FORGED_SIGNATURE)),
      ...[0, 1].map(() => forge(forgeTemplate, signWebhook("not-the-webhook-secret", forgeTemplate.body))),
    ];
    measurements.concurrency.launchedTogether = actions.length + forged.length;
    await Promise.all([...actions, ...forged]);

    // 3. The publish deliveries redelivered three times each, concurrently, while they are still running.
    const publishes = standin
      .deliveriesSince(burst)
      .filter((d) => d.event === "issues" && d.action === "labeled" && d.payload.label?.name === PUBLISHED && d.source === "auto");
    expect(publishes).toHaveLength(2);
    await Promise.all(publishes.flatMap((d) => [standin.redeliver(d.id), standin.redeliver(d.id), standin.redeliver(d.id)]));

    await settle();
    measurements.deliveries.operatorRedeliveries = await redeliverFailures(burst);
    measurements.durationMs.burst = Date.now() - started;

    // ------------------------------------------------------------ measure
    const sent = standin.deliveriesSince(burst);
    const forgedRecords = await Promise.all(forged);
    const forgedIds = new Set(forgedRecords.map((d) => d.id));
    const calls = standin.apiCallsSince(burst);
    const m = measurements;
    m.scenario =
      "4 postmortems opened at once (opened + labeled each); C fixed and D edited at the same moment; A and B published (3 items each) and edited while filing; " +
      "every opened/labeled redelivered twice and each publish three times, concurrently; a 502 on issue creation, a 403 secondary rate limit on a comment update, " +
      "300 ms delays on 6 issue reads; 5 forged webhooks. Two `probot run` replicas with REDIS_URL behind a round-robin load balancer.";
    m.deliveries.sent = sent.length;
    m.deliveries.byPeople = sent.filter((d) => d.source === "auto" && !isBot(d)).length;
    m.deliveries.byApp = sent.filter((d) => d.source === "auto" && isBot(d)).length;
    m.deliveries.duplicates = sent.filter((d) => d.source === "redelivery").length - m.deliveries.operatorRedeliveries;
    m.deliveries.forged = forgedRecords.length;
    m.deliveries.byStatus = {};
    for (const d of sent) m.deliveries.byStatus[String(d.status)] = (m.deliveries.byStatus[String(d.status)] ?? 0) + 1;
    m.deliveries.perReplica = [0, 1].map((i) => proxy.routed.filter((r) => r.replica === i).length);
    m.deliveries.splitAcrossReplicas = [...new Set(sent.map((d) => d.id))].filter((id) => new Set(proxy.replicasFor(id)).size > 1).length;
    m.concurrency.peakInFlight = peakInFlight();
    m.faults = [faultReport("5xx on create", fault502), faultReport("secondary rate limit", fault403), faultReport("slow read", faultDelay)];
    m.unsigned = {
      sent: forgedRecords.length,
      answered400: forgedRecords.filter((d) => d.status === 400).length,
      actedUpon: forgedRecords.filter((d) => d.status !== 400 || standin.callsForDelivery(d.id).length > 0).length,
    };
    m.apiCalls = {
      total: calls.length,
      writes: calls.filter((c) => c.write).length,
      refused: standin.refused.length,
      unimplemented: standin.calls.filter((c) => c.unimplemented).length,
      faulted: calls.filter((c) => c.fault).length,
    };

    const problems: string[] = [];
    const lost = (issue: string, what: string) => {
      m.lostWrites.push({ issue, what });
      problems.push(`lost write on ${issue}: ${what}`);
    };
    for (const n of [A, B, C, D]) {
      const k = names[n]!;
      const comments = standin.comments(OWNER, REPO, n);
      m.statusCommentsPerIssue[k] = comments.filter((c) => c.user.login === standin.botLogin).length;
      if (comments.length !== 1 || m.statusCommentsPerIssue[k] !== 1) problems.push(`${k} has ${comments.length} comments (${m.statusCommentsPerIssue[k]} by the bot), not 1`);
    }
    const filed = (items: Item[], n: number) => {
      const ofParent = followUpsOf(n);
      for (const it of items) {
        const matching = ofParent.filter((f) => f.repo === it.repo && f.issue.title === it.title);
        m.followUpsPerItem[it.title] = matching.length;
        if (matching.length !== 1) problems.push(`item “${it.title}” of ${names[n]} has ${matching.length} follow-ups, not 1`);
      }
      const strays = ofParent.filter((f) => !items.some((it) => it.repo === f.repo && it.title === f.issue.title));
      for (const s of strays) problems.push(`unexpected follow-up ${s.repo}#${s.issue.number} “${s.issue.title}” for ${names[n]}`);
      return ofParent;
    };
    const filedA = filed(ITEMS_A, A);
    const filedB = filed(ITEMS_B, B);
    for (const n of [C, D]) if (followUpsOf(n).length > 0) problems.push(`${names[n]} was never published but has follow-ups`);
    const totalFollowUps = followUpsIn("team-a").length + followUpsIn("team-b").length;
    if (totalFollowUps !== ITEMS_A.length + ITEMS_B.length) problems.push(`${totalFollowUps} follow-up issues in the team repositories, not ${ITEMS_A.length + ITEMS_B.length}`);
    m.strayFollowUps += Math.max(0, totalFollowUps - (ITEMS_A.length + ITEMS_B.length));

    // Every human edit is in the final body; the app added exactly the links to the follow-ups, nothing else.
    for (const [n, items, filedFor] of [
      [A, ITEMS_A, filedA],
      [B, ITEMS_B, filedB],
    ] as const) {
      const k = names[n]!;
      const final = bodyOf(n);
      if (!editedDuringPublish.has(n)) problems.push(`${k} was not edited during its publish (the scenario did not run as planned)`);
      if (final.replace(LINK, "") !== human[k]) lost(k, "the final body, links aside, is not the last body a person wrote");
      for (const it of items) {
        const f = filedFor.find((x) => x.repo === it.repo && x.issue.title === it.title);
        if (f && !final.includes(`${it.line} ${OWNER}/${it.repo}#${f.issue.number}`)) lost(k, `no link to ${OWNER}/${it.repo}#${f.issue.number} beside “${it.title}”`);
      }
    }
    for (const n of [C, D]) if (bodyOf(n) !== human[names[n]!]) lost(names[n]!, "the final body is not the last body a person wrote");

    // The labels the final bodies call for; the published ones keep their label.
    const expectLabels: Record<string, string[]> = {
      A: ["postmortem", PUBLISHED, "postmortem: ready"],
      B: ["postmortem", PUBLISHED, "postmortem: ready"],
      C: ["postmortem", "postmortem: ready"],
      D: ["postmortem", "postmortem: incomplete"],
    };
    for (const n of [A, B, C, D]) {
      const k = names[n]!;
      const got = labelsOf(n);
      if (JSON.stringify(got) !== JSON.stringify(expectLabels[k]!.slice().sort())) {
        problems.push(`${k} is labelled ${JSON.stringify(got)}, not ${JSON.stringify(expectLabels[k])}`);
        if (k === "A" || k === "B") if (!got.includes(PUBLISHED)) lost(k, `the \`${PUBLISHED}\` label a person added is gone`);
      }
    }
    m.errorLogLines = replicas.map((r) => otherErrors(r).length);
    if (problems.length > 0) for (const n of [A, B, C, D]) m.traces[names[n]!] = trace(n, burst);
    m.passed.burst = problems.length === 0;

    // ------------------------------------------------------------ assert
    const context = () => `\n${problems.join("\n")}\n--- traces ---\n${JSON.stringify(m.traces, null, 2)}`;
    expect(problems, context()).toEqual([]);
    for (const d of forgedRecords) {
      expect(d.status, `forged delivery ${d.id}`).toBe(400);
      expect(standin.callsForDelivery(d.id), `calls for forged delivery ${d.id}`).toEqual([]);
    }
    expect(m.unsigned.actedUpon).toBe(0);
    expect([...forgedIds].every((id) => proxy.replicasFor(id).length === 1)).toBe(true);
    expect(m.faults.map((f) => f.hits)).toEqual(m.faults.map((f) => f.times));
    expect(standin.refused).toEqual([]);
    expect(standin.calls.filter((c) => c.unimplemented)).toEqual([]);
    for (const [i, r] of replicas.entries()) expect(otherErrors(r), `error logs of replica ${i}`).toEqual([]);
    // Both replicas did real work, and some delivery ids really were split between them.
    expect(m.deliveries.perReplica.every((count) => count > 5)).toBe(true);
    expect(m.deliveries.splitAcrossReplicas).toBeGreaterThan(0);
  }, 150_000);

  it("a person's write right after the app read the issue is not overwritten (body edit; label added)", async () => {
    const started = Date.now();
    const since = standin.mark();
    standin.clearFaults();
    const problems: string[] = [];
    const lost = (issue: string, what: string) => {
      measurements.lostWrites.push({ issue, what });
      problems.push(`lost write on ${issue}: ${what}`);
    };

    // E: published; the author edits the summary right after the app re-reads the body to add the link.
    // F: the author fixes it; the reviewer adds the publish label right after the app read it for that check.
    const e = await standin.openIssue({ owner: OWNER, repo: REPO, title: "[Postmortem] Race E", body: complete("[E]", [ITEM_E.line]), labels: ["postmortem"], user: "erin" });
    const f = await standin.openIssue({ owner: OWNER, repo: REPO, title: "[Postmortem] Race F", body: incomplete("[F]"), labels: ["postmortem"], user: "frank" });
    await settle();
    expect(labelsOf(e.number)).toContain("postmortem: ready");
    expect(labelsOf(f.number)).toContain("postmortem: incomplete");

    let humanE = bodyOf(e.number);
    let probeE = false;
    let probeF = false;
    let armF = false;
    onCall("GET /repos/{owner}/{repo}/issues/{issue_number}", (ctx) => {
      const n = Number(ctx.params.issue_number);
      if (ctx.params.repo !== REPO) return;
      if (n === e.number && !probeE && followUpsOf(e.number).length === 1) {
        // The app has filed E's follow-up and just read the body to link it.
        probeE = true;
        humanE = withSummary(bodyOf(e.number), "Edited by erin a moment after the app read the body.");
        void standin.editIssue(OWNER, REPO, e.number, { body: humanE }, "erin");
      }
      if (n === f.number && armF && !probeF) {
        // The app has just read F to check the author's fix.
        probeF = true;
        void standin.addLabel(OWNER, REPO, f.number, PUBLISHED, "sre-lead");
      }
    });

    await standin.addLabel(OWNER, REPO, e.number, PUBLISHED, "sre-lead");
    const humanF = complete("[F] Fixed.", [ITEM_F.line]);
    armF = true;
    await standin.editIssue(OWNER, REPO, f.number, { body: humanF }, "frank");
    await settle();
    await redeliverFailures(since);
    measurements.durationMs.races = Date.now() - started;

    expect(probeE && probeF, "both probes ran").toBe(true);
    for (const [k, n] of [["E", e.number], ["F", f.number]] as const) {
      const comments = standin.comments(OWNER, REPO, n);
      measurements.statusCommentsPerIssue[k] = comments.filter((c) => c.user.login === standin.botLogin).length;
      if (comments.length !== 1 || measurements.statusCommentsPerIssue[k] !== 1) problems.push(`${k} has ${comments.length} comments, not 1`);
    }
    measurements.followUpsPerItem[ITEM_E.title] = followUpsOf(e.number).filter((x) => x.issue.title === ITEM_E.title).length;
    measurements.followUpsPerItem[ITEM_F.title] = followUpsOf(f.number).filter((x) => x.issue.title === ITEM_F.title).length;
    const [fe] = followUpsOf(e.number);
    const finalE = bodyOf(e.number);
    if (finalE.replace(LINK, "") !== humanE) lost("E", "an edit made between the app's fresh read and its body write (to add the follow-up link) was overwritten");
    if (fe && !finalE.includes(`${ITEM_E.line} ${OWNER}/${fe.repo}#${fe.issue.number}`)) lost("E", "no link beside the item");
    if (followUpsOf(e.number).length !== 1) problems.push(`E has ${followUpsOf(e.number).length} follow-ups, not 1`);
    if (bodyOf(f.number).replace(LINK, "") !== humanF) lost("F", "the author's fix is not the body");
    const labelsF = labelsOf(f.number);
    if (!labelsF.includes(PUBLISHED)) lost("F", `the \`${PUBLISHED}\` label added right after the app read the issue was removed by the app's label update`);
    if (JSON.stringify(labelsF) !== JSON.stringify(["postmortem", PUBLISHED, "postmortem: ready"].sort())) problems.push(`F is labelled ${JSON.stringify(labelsF)}`);
    if (followUpsOf(f.number).length !== 1) problems.push(`F has ${followUpsOf(f.number).length} follow-ups, not 1 (it was published)`);
    if (problems.length > 0) {
      measurements.traces.E = trace(e.number, since);
      measurements.traces.F = trace(f.number, since);
    }
    measurements.passed.races = problems.length === 0;

    expect(problems, `\n${problems.join("\n")}\n--- traces ---\n${JSON.stringify({ E: measurements.traces.E, F: measurements.traces.F }, null, 2)}`).toEqual([]);
    expect(standin.refused).toEqual([]);
    for (const [i, r] of replicas.entries()) expect(otherErrors(r), `error logs of replica ${i}`).toEqual([]);
  }, 90_000);
});
