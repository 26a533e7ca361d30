// API calls per event, counted by the e2e GitHub stand-in while the real app
// process (probot run lib/index.js) handles the webhooks the stand-in sends.
//
// Each scenario: optional `prepare` (not counted), then `act` (counted until
// the stand-in is idle). A scenario with `notBuilt: true` is a placeholder row
// for a feature that does not exist yet; give it `prepare`/`act` once it does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { median, REPO_ROOT } from "./util.js";

export const OWNER = "acme";
export const REPO = "incidents";
export const INSTALLATION_ID = 7;
export const POSTMORTEM_LABEL = "postmortem";

export function fixtureBody(name) {
  return readFileSync(join(REPO_ROOT, "test/fixtures/bodies", `${name}.md`), "utf8");
}

/** An edit that changes the summary's text but nothing the check shows. */
export function typoEdit(body, n) {
  return body.replace("### Summary\n\n", `### Summary\n\nTypo fixed (${n}). `);
}

const TITLE = "[Postmortem] Checkout outage";

/** @type {Array<{id: string, title: string, events: string, budget?: {max: number, text: string}, runs?: number, notBuilt?: boolean, note?: string, prepare?: Function, act?: Function}>} */
export const SCENARIOS = [
  {
    id: "opened-invalid-cold",
    title: "Opened, invalid (cold cache)",
    events: "issues.opened + issues.labeled (an issue opened from the form)",
    note: "A new installation, owner and repository each run (config in the repository, no form there or in the org's `.github`): every cache cold, no managed label, no status comment. The first check of an issue; the ≤ 3 budget is for a re-validation. Two runs: each takes ~15 s of throttled writes.",
    runs: 2,
    prepare: async (ctx, i) => {
      const owner = `cold-org-${i + 1}`;
      const installationId = 100 + i;
      ctx.standin.addInstallation({ id: installationId, account: owner });
      ctx.standin.addRepo({
        owner,
        name: REPO,
        private: true,
        installationId,
        labels: [{ name: POSTMORTEM_LABEL, color: "5319e7" }],
        files: ctx.configText ? { ".github/postmortem.yml": ctx.configText } : {},
      });
      ctx.standin.addRepo({ owner, name: ".github", installationId });
      return { owner };
    },
    act: async (ctx, s) => {
      await ctx.standin.openIssue({ owner: s.owner, repo: REPO, title: TITLE, body: fixtureBody("incomplete"), labels: [POSTMORTEM_LABEL], user: "alice" });
    },
  },
  {
    id: "opened-valid",
    title: "Opened, valid (warm config cache)",
    events: "issues.opened + issues.labeled (an issue opened from the form)",
    note: "Config and form cached from earlier events in the repository; no status comment yet.",
    runs: 3,
    act: async (ctx) => {
      await ctx.standin.openIssue({ owner: OWNER, repo: REPO, title: TITLE, body: fixtureBody("complete"), labels: [POSTMORTEM_LABEL], user: "alice" });
    },
  },
  {
    id: "edited-unchanged",
    title: "Edited, result unchanged (warm)",
    events: "issues.edited",
    budget: { max: 1, text: "≤ 1 call (unchanged re-edit on a warm cache)" },
    runs: 5,
    prepare: async (ctx) => ({ number: ctx.readyIssue }),
    act: async (ctx, s, i) => {
      await ctx.standin.editIssue(OWNER, REPO, s.number, { body: typoEdit(fixtureBody("complete"), `${ctx.nextEdit()}-${i}`) }, "alice");
    },
  },
  {
    id: "edited-changed",
    title: "Edited, result changed (warm)",
    events: "issues.edited",
    budget: { max: 3, text: "≤ 3 calls (a validation whose result changed)" },
    runs: 3,
    prepare: async (ctx) => ({ number: ctx.flipIssue }),
    act: async (ctx, s) => {
      // The issue alternates between complete (ready) and incomplete: every run changes the result.
      ctx.flipState = ctx.flipState === "complete" ? "incomplete" : "complete";
      await ctx.standin.editIssue(OWNER, REPO, s.number, { body: fixtureBody(ctx.flipState) }, "alice");
    },
  },
  {
    id: "labeled-postmortem",
    title: "Labeled with the postmortem label",
    events: "issues.labeled",
    note: "The issue was opened without the label (that `opened` is not counted); no status comment yet, so the comment lookup is a cold read. First check of an issue.",
    runs: 3,
    prepare: async (ctx) => {
      const issue = await ctx.standin.openIssue({ owner: OWNER, repo: REPO, title: TITLE, body: fixtureBody("complete"), labels: [], user: "alice" });
      return { number: issue.number };
    },
    act: async (ctx, s) => {
      await ctx.standin.addLabel(OWNER, REPO, s.number, POSTMORTEM_LABEL, "alice");
    },
  },
  {
    id: "labeled-other",
    title: "Labeled with another label",
    events: "issues.labeled",
    runs: 3,
    prepare: async (ctx, i) => {
      const name = `area: payments ${i + 1}`;
      ctx.standin.createLabel(OWNER, REPO, { name, color: "c5def5" });
      // The flipping issue, so the ready one (copied for the webhook load) keeps only the app's labels.
      return { number: ctx.flipIssue, name };
    },
    act: async (ctx, s) => {
      await ctx.standin.addLabel(OWNER, REPO, s.number, s.name, "alice");
    },
  },
  {
    id: "redelivery",
    title: "Redelivery of a seen delivery",
    events: "issues.edited (same X-GitHub-Delivery)",
    runs: 3,
    prepare: async (ctx, i) => {
      const mark = ctx.standin.mark();
      await ctx.standin.editIssue(OWNER, REPO, ctx.readyIssue, { body: typoEdit(fixtureBody("complete"), `redeliver-${ctx.nextEdit()}-${i}`) }, "alice");
      await ctx.standin.idle();
      const d = ctx.standin.deliveriesSince(mark).find((x) => x.event === "issues" && x.action === "edited");
      if (!d) throw new Error("redelivery scenario: no edited delivery was sent");
      return { deliveryId: d.id };
    },
    act: async (ctx, s) => {
      await ctx.standin.redeliver(s.deliveryId);
    },
  },
  {
    id: "push-github-then-edit",
    title: "Push touching .github/, then an unchanged edit",
    events: "push + issues.edited",
    note: "The push drops the cached config and form for the owner; the next check reads them again (repository, then org `.github`).",
    runs: 3,
    act: async (ctx, s, i) => {
      await ctx.standin.pushFiles(OWNER, REPO, { ".github/README.md": `Notes ${ctx.nextEdit()}-${i}\n` }, { sender: "alice" });
      await ctx.standin.idle();
      await ctx.standin.editIssue(OWNER, REPO, ctx.readyIssue, { body: typoEdit(fixtureBody("complete"), `push-${ctx.nextEdit()}-${i}`) }, "alice");
    },
  },
  // Later features: rows kept so their counts land here when they exist.
  { id: "publish-k1", title: "Publish, 1 follow-up", events: "—", budget: { max: 6, text: "≤ 4 + 2×1 = 6 calls" }, notBuilt: true },
  { id: "publish-k5", title: "Publish, 5 follow-ups", events: "—", budget: { max: 14, text: "≤ 4 + 2×5 = 14 calls" }, notBuilt: true },
  { id: "publish-k20", title: "Publish, 20 follow-ups", events: "—", budget: { max: 44, text: "≤ 4 + 2×20 = 44 calls" }, notBuilt: true },
  { id: "followup-closed", title: "Follow-up closed", events: "—", notBuilt: true },
  { id: "recommend", title: "Recommend / unrecommend", events: "—", notBuilt: true },
  { id: "reading-list-rebuild", title: "Reading-list rebuild", events: "—", notBuilt: true },
  { id: "report-n", title: "Report over N postmortems", events: "—", budget: { max: 110, text: "≤ 110 calls for 10,000 postmortems" }, notBuilt: true },
];

function describe(standin, calls) {
  return standin.describeCalls(calls);
}

/** Multiset of strings -> [{ call, count }] in first-seen order. */
function tally(lines) {
  const counts = new Map();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([call, count]) => ({ call, count }));
}

/**
 * Acts, waits until the stand-in is idle, and counts the installation calls
 * made for the deliveries sent meanwhile (Probot sends the delivery id with
 * every API call it makes for it). Probot answers 202 after 9 s while a
 * handler still runs (throttled writes are spaced 1-3 s): then wait until no
 * call has come for 3.5 s. Calls made meanwhile for earlier deliveries (work
 * left over from a previous scenario) are not counted; they are listed apart.
 */
async function measure(standin, act) {
  const mark = standin.mark();
  await act();
  await standin.idle({ quietMs: 100, timeoutMs: 60_000 });
  const deadline = Date.now() + 60_000;
  while (standin.deliveriesSince(mark).some((d) => d.status === 202 || d.pending) && Date.now() < deadline) {
    let seen = standin.calls.length;
    let quietSince = Date.now();
    while (Date.now() - quietSince < 3_500 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      if (standin.calls.length !== seen) {
        seen = standin.calls.length;
        quietSince = Date.now();
      }
    }
    await standin.idle({ quietMs: 100, timeoutMs: 60_000 });
    break;
  }
  const window = standin.callsSince(mark);
  const sent = standin.deliveriesSince(mark);
  const ids = new Set(sent.map((d) => d.id));
  const ours = window.filter((c) => c.deliveryId !== undefined && ids.has(c.deliveryId));
  // A redelivery reuses an id seen before: count only calls inside the window (all of `window` is).
  const api = ours.filter((c) => !c.appLevel);
  const appLevel = window.filter((c) => c.appLevel);
  const late = window.filter((c) => !c.appLevel && !(c.deliveryId !== undefined && ids.has(c.deliveryId)));
  const deliveries = sent.map((d) => ({
    id: d.id,
    event: d.action ? `${d.event}.${d.action}` : d.event,
    source: d.source,
    sender: d.payload?.sender ? `${d.payload.sender.login}${d.payload.sender.type === "Bot" ? " (bot)" : ""}` : null,
    senderIsBot: d.payload?.sender?.type === "Bot",
    status: d.status,
    calls: describe(standin, api.filter((c) => c.deliveryId === d.id)),
  }));
  return {
    count: api.length,
    calls: describe(standin, api),
    appLevelCalls: describe(standin, appLevel),
    lateCalls: describe(standin, late),
    deliveries,
  };
}

/**
 * Runs every built scenario against a stand-in whose webhook target is the
 * running app. Returns one result per scenario (placeholders included).
 */
export async function runScenarios(standin, app, logFn = () => {}, options = {}) {
  let edits = 0;
  const ctx = {
    standin,
    configText: options.configText ?? null,
    readyIssue: 0,
    flipIssue: 0,
    flipState: "complete",
    nextEdit: () => ++edits,
  };
  // Prime the main repository (not counted): the caches become warm and two
  // issues get a status comment, one to re-edit, one to flip.
  const ready = await standin.openIssue({ owner: OWNER, repo: REPO, title: TITLE, body: fixtureBody("complete"), labels: [POSTMORTEM_LABEL], user: "alice" });
  const flip = await standin.openIssue({ owner: OWNER, repo: REPO, title: TITLE, body: fixtureBody("complete"), labels: [POSTMORTEM_LABEL], user: "alice" });
  await standin.idle({ quietMs: 100, timeoutMs: 60_000 });
  ctx.readyIssue = ready.number;
  ctx.flipIssue = flip.number;

  const results = [];
  const allBotDeliveries = [];
  for (const sc of SCENARIOS) {
    if (sc.notBuilt) {
      results.push({ id: sc.id, title: sc.title, events: sc.events, budget: sc.budget ?? null, notBuilt: true });
      continue;
    }
    logFn(`scenario ${sc.id}`);
    const runs = [];
    try {
      for (let i = 0; i < (sc.runs ?? 3); i++) {
        const state = sc.prepare ? await sc.prepare(ctx, i) : {};
        await standin.idle({ quietMs: 100, timeoutMs: 60_000 });
        const r = await measure(standin, () => sc.act(ctx, state, i));
        runs.push(r);
        allBotDeliveries.push(...r.deliveries.filter((d) => d.senderIsBot));
      }
    } catch (e) {
      // A scenario the app (or the stand-in) cannot play out any more: report it and go on.
      logFn(`scenario ${sc.id} failed: ${e instanceof Error ? e.message : String(e)}`);
      results.push({ id: sc.id, title: sc.title, events: sc.events, budget: sc.budget ?? null, failed: e instanceof Error ? e.message : String(e) });
      continue;
    }
    const counts = runs.map((r) => r.count);
    const sameCalls = runs.every((r) => JSON.stringify([...r.calls].sort()) === JSON.stringify([...runs[0].calls].sort()));
    const med = median(counts);
    const representative = runs.find((r) => r.count === med) ?? runs[0];
    results.push({
      id: sc.id,
      title: sc.title,
      events: sc.events,
      note: sc.note ?? null,
      budget: sc.budget ?? null,
      runs: runs.length,
      counts,
      median: med,
      identicalAcrossRuns: sameCalls,
      met: sc.budget ? med <= sc.budget.max : null,
      calls: tally(representative.calls),
      appLevelCalls: tally(representative.appLevelCalls),
      deliveries: representative.deliveries,
      // Every run's calls when they were not the same each time.
      runsDetail: sameCalls
        ? undefined
        : runs.map((x) => ({ count: x.count, calls: tally(x.calls), deliveries: x.deliveries.map((d) => ({ event: d.event, sender: d.sender, status: d.status, calls: d.calls })) })),
      answered202: runs.some((x) => x.deliveries.some((d) => d.status === 202)),
      lateCallsFromEarlierDeliveries: runs.reduce((n, x) => n + x.lateCalls.length, 0),
    });
  }
  const echoCalls = allBotDeliveries.reduce((n, d) => n + d.calls.length, 0);
  results.push({
    id: "own-writes-echoed",
    title: "The app's own writes, echoed back as webhooks",
    events: [...new Set(allBotDeliveries.map((d) => d.event))].join(", ") || "—",
    note: `All ${allBotDeliveries.length} deliveries sent by the stand-in for the app's own writes during the scenarios above.`,
    budget: null,
    runs: allBotDeliveries.length,
    counts: [echoCalls],
    median: echoCalls,
    identicalAcrossRuns: true,
    met: null,
    calls: [],
    appLevelCalls: [],
    deliveries: [],
  });
  return {
    readyIssue: ctx.readyIssue,
    scenarios: results,
    refused: standin.refused.length,
    appErrors: app.errorLogs().map((l) => l.msg ?? JSON.stringify(l).slice(0, 300)),
  };
}
