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

// ------------------------------------------------------------ later features
// Publishing, follow-up tracking and the reading list, acted out in the main
// repository (acme/incidents, private) with the teams of
// test/fixtures/configs/teams.yml: `backend` files into acme/backend, the
// handle `@acme/sre` into acme/sre, a person (`@alice`) into
// follow_ups.default_repo, acme/incidents. The target repositories are private
// like the postmortem's (a private postmortem's items never go to a public one).

export const TEAM_REPOS = ["backend", "sre"];
export const PUBLISHED_LABEL = "postmortem: published";
export const ACTIONS_DONE_LABEL = "postmortem: actions done";
export const RECOMMENDED_LABEL = "recommended";
export const READING_LIST_TITLE = "Postmortem reading list";
/** Recommended postmortems in the repository when the reading list is rebuilt. */
export const REBUILD_RECOMMENDED = 10;
const ITEM_OWNERS = ["backend", "@acme/sre", "@alice"];
const ITEM_TYPES = ["prevent", "detect", "mitigate", "process"];
const MAINTAINER = "sre-lead";

/** complete.md with its action items replaced by `k` open items, owners cycling backend, @acme/sre, @alice. */
export function bodyWithItems(k, tag) {
  const items = Array.from(
    { length: k },
    (_, i) => `- [ ] Bench follow-up ${i + 1} of ${k} (${tag}): cap the payment provider pool and alert on saturation — owner: ${ITEM_OWNERS[i % ITEM_OWNERS.length]} type: ${ITEM_TYPES[i % ITEM_TYPES.length]}`,
  );
  const body = fixtureBody("complete");
  const next = body.replace(/### Action items\n\n[\s\S]*?\n\n### What went well/, `### Action items\n\n${items.join("\n")}\n\n### What went well`);
  if (next === body) throw new Error("bodyWithItems: no Action items section in complete.md");
  return next;
}

/** The follow-ups linked beside the postmortem's action items (`owner/repo#N` at the end of an item line). */
export function linkedFollowUps(standin, number) {
  const body = standin.issue(OWNER, REPO, number)?.body ?? "";
  return [...body.matchAll(/^- \[([ xX])\] Bench follow-up .* ([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)#(\d+)\r?$/gm)].map((m) => ({
    ticked: m[1] !== " ",
    owner: m[2],
    repo: m[3],
    number: Number(m[4]),
  }));
}

const labelsOf = (standin, number, repo = REPO) => (standin.issue(OWNER, repo, number)?.labels ?? []).map((l) => l.name);
const readingList = (standin) => standin.issues(OWNER, REPO).find((i) => i.title === READING_LIST_TITLE && i.user?.login === standin.botLogin);
const onReadingList = (standin, number) => (readingList(standin)?.body ?? "").includes(`${OWNER}/${REPO}#${number}`);

/** A complete postmortem the app has checked (ready), opened as a person; not counted. */
async function openReadyPostmortem(ctx, body, title = TITLE) {
  const issue = await ctx.standin.openIssue({ owner: OWNER, repo: REPO, title, body, labels: [POSTMORTEM_LABEL], user: "alice" });
  await ctx.settle();
  if (!labelsOf(ctx.standin, issue.number).includes("postmortem: ready")) {
    throw new Error(`#${issue.number} is not ready after its check (labels: ${labelsOf(ctx.standin, issue.number).join(", ")})`);
  }
  return issue.number;
}

function publishScenario(k, runs) {
  return {
    id: `publish-k${k}`,
    title: `Publish, ${k} follow-up${k === 1 ? "" : "s"}`,
    events: "issues.labeled (the published label, added by a maintainer)",
    budget: { max: 4 + 2 * k, text: `≤ 4 + 2×${k} = ${4 + 2 * k} calls` },
    runs,
    note:
      `A ready postmortem (\`complete.md\` with ${k} open action item${k === 1 ? "" : "s"}, owners cycling \`backend\` → acme/backend, \`@acme/sre\` → acme/sre, \`@alice\` → acme/incidents) gets \`${PUBLISHED_LABEL}\`; ` +
      `counted from that delivery until the app has no webhook in flight and the stand-in is idle, the follow-up issues created in the owners' repositories and the app's own writes echoed back included. ` +
      `Publishing also asks for the "Postmortem metrics" issue to be updated, debounced by 10 s: those calls (made for the same delivery) are waited for and listed apart as deferred. ` +
      "The app reads a repository's visibility once an hour (a private postmortem's items go only to private repositories): a run that publishes into a repository for the first time since the app started makes one more `GET /repos/{owner}/{repo}` per such repository (the postmortem's own on the very first publish); such runs are listed below as differing. " +
      (k >= 20 ? `One run: Probot's throttling spaces issue creation by ~3 s, so it takes over a minute.` : `${runs} runs.`),
    timeoutMs: 90_000 + k * 10_000,
    deferred: { what: "the metrics-issue update, debounced 10 s", waitMs: 20_000 },
    prepare: async (ctx, i) => ({ number: await openReadyPostmortem(ctx, bodyWithItems(k, `k${k} run ${i + 1}`), `[Postmortem] Checkout outage, ${k} action items (${i + 1})`) }),
    act: async (ctx, s) => {
      await ctx.standin.addLabel(OWNER, REPO, s.number, PUBLISHED_LABEL, MAINTAINER);
    },
    verify: async (ctx, s) => {
      const links = linkedFollowUps(ctx.standin, s.number);
      if (links.length !== k) throw new Error(`#${s.number}: ${links.length} follow-ups linked after publishing, expected ${k}`);
      for (const f of links) if (!ctx.standin.issue(f.owner, f.repo, f.number)) throw new Error(`#${s.number}: linked follow-up ${f.owner}/${f.repo}#${f.number} does not exist`);
      ctx.published.push({ number: s.number, k, followUps: links });
    },
  };
}

function publishScenarios() {
  return [publishScenario(1, 3), publishScenario(5, 3), publishScenario(20, 1)];
}

function followUpScenarios() {
  const close = async (ctx, s) => {
    await ctx.standin.closeIssue(s.followUp.owner, s.followUp.repo, s.followUp.number, { reason: "completed" }, "bob");
  };
  const ticked = (ctx, s) => linkedFollowUps(ctx.standin, s.parent).find((f) => f.repo === s.followUp.repo && f.number === s.followUp.number)?.ticked;
  return [
    {
      id: "followup-closed",
      title: "Follow-up closed (not the last)",
      events: "issues.closed (a follow-up, closed as completed by a person)",
      note: "One follow-up of a postmortem published with 5 (the first run's follow-up is in acme/backend, the second's in acme/sre, the third's in acme/incidents); the postmortem's checkbox is ticked and its status comment shows the progress.",
      runs: 3,
      prepare: async (ctx, i) => {
        const pm = ctx.published.find((p) => p.k === 5);
        if (!pm) throw new Error("no postmortem published with 5 follow-ups (publish-k5 did not run)");
        return { parent: pm.number, followUp: pm.followUps[i] };
      },
      act: close,
      verify: async (ctx, s) => {
        if (!ticked(ctx, s)) throw new Error(`#${s.parent}: the item of ${s.followUp.repo}#${s.followUp.number} is not ticked`);
        if (labelsOf(ctx.standin, s.parent).includes(ACTIONS_DONE_LABEL)) throw new Error(`#${s.parent}: \`${ACTIONS_DONE_LABEL}\` set before every follow-up is closed`);
      },
    },
    {
      id: "followup-closed-last",
      title: "Last follow-up closed (→ actions done)",
      events: "issues.closed (the last open follow-up, closed as completed by a person)",
      note: `The only follow-up (in acme/backend) of a postmortem published with 1: ticked, and \`${ACTIONS_DONE_LABEL}\` added.`,
      runs: 3,
      prepare: async (ctx, i) => {
        const pm = ctx.published.filter((p) => p.k === 1)[i];
        if (!pm) throw new Error("no postmortem published with 1 follow-up (publish-k1 did not run)");
        return { parent: pm.number, followUp: pm.followUps[0] };
      },
      act: close,
      verify: async (ctx, s) => {
        if (!ticked(ctx, s)) throw new Error(`#${s.parent}: the item of ${s.followUp.repo}#${s.followUp.number} is not ticked`);
        if (!labelsOf(ctx.standin, s.parent).includes(ACTIONS_DONE_LABEL)) throw new Error(`#${s.parent}: no \`${ACTIONS_DONE_LABEL}\` after its last follow-up was closed`);
      },
    },
  ];
}

/** A ready postmortem for the reading-list scenarios: a published one when there is one, else a new one (not counted). */
async function readyForReading(ctx, i) {
  const pm = ctx.published.filter((p) => p.k === 1)[i];
  return pm ? pm.number : openReadyPostmortem(ctx, fixtureBody("complete"), `[Postmortem] Reading ${i + 1}`);
}

/**
 * Makes exactly REBUILD_RECOMMENDED postmortems carry `recommended` without the
 * app seeing it (webhooks off), so the list is out of date: the first call adds
 * new ones, every later call swaps one. Not counted.
 */
async function silentlyRecommend(ctx) {
  const { standin } = ctx;
  const recommended = () =>
    standin.issues(OWNER, REPO).filter((i) => {
      const names = i.labels.map((l) => l.name);
      return names.includes(POSTMORTEM_LABEL) && names.includes(RECOMMENDED_LABEL);
    });
  standin.webhooksEnabled = false;
  try {
    const current = recommended();
    const silent = current.filter((i) => i.title.startsWith("[Postmortem] Recommended, "));
    if (silent.length > 0 && current.length >= REBUILD_RECOMMENDED) await standin.removeLabel(OWNER, REPO, silent[0].number, RECOMMENDED_LABEL, MAINTAINER);
    for (let n = recommended().length; n < REBUILD_RECOMMENDED; n++) {
      ctx.silent = (ctx.silent ?? 0) + 1;
      await standin.openIssue({
        owner: OWNER,
        repo: REPO,
        title: `[Postmortem] Recommended, ${ctx.silent}`,
        body: fixtureBody("complete"),
        labels: [POSTMORTEM_LABEL, RECOMMENDED_LABEL, "recommended: lessons"],
        user: "alice",
      });
    }
  } finally {
    standin.webhooksEnabled = true;
  }
  const n = recommended().length;
  if (n !== REBUILD_RECOMMENDED) throw new Error(`${n} recommended postmortems, expected ${REBUILD_RECOMMENDED}`);
  return recommended().map((i) => i.number);
}

function readingListScenarios() {
  const rebuild = (cold) => ({
    id: cold ? "reading-list-rebuild-cold" : "reading-list-rebuild",
    title: cold ? "Reading-list rebuild (first, cold caches)" : "Reading-list rebuild (warm caches)",
    events: "issue_comment.created (`/postmortem rebuild-reading-list` by a maintainer)",
    note:
      `${REBUILD_RECOMMENDED} recommended postmortems in acme/incidents, the list out of date (${cold ? "it lists 1 of them" : "one of them swapped since the last rebuild"}), ` +
      `over the installation's 4 repositories in the org (incidents, .github, backend, sre). The command's permission check is cold (each run by another maintainer); ` +
      (cold ? "caches as the scenarios above left them (the configs of backend and sre not read yet; the org's `.github` files cached)." : "a rebuild ran before, so every config and form is cached.") +
      " The reply comment and the 👀/🚀 reactions are counted.",
    runs: cold ? 1 : 2,
    prepare: async (ctx) => {
      const numbers = await silentlyRecommend(ctx);
      const user = `maintainer-${(ctx.maintainers = (ctx.maintainers ?? 0) + 1)}`;
      ctx.standin.setPermission(OWNER, REPO, user, "maintain");
      return { number: ctx.primer ?? numbers[0], numbers, user };
    },
    act: async (ctx, s) => {
      await ctx.standin.comment(OWNER, REPO, s.number, "/postmortem rebuild-reading-list", s.user);
    },
    verify: async (ctx, s) => {
      const missing = s.numbers.filter((n) => !onReadingList(ctx.standin, n));
      if (missing.length) throw new Error(`not on the reading list after the rebuild: ${missing.map((n) => `#${n}`).join(", ")}`);
    },
  });
  return [
    {
      id: "recommended",
      title: "Recommended (reading-list label added)",
      events: "issues.labeled (`recommended`, added by a person; no curators configured)",
      note: "A ready postmortem gets `recommended`; its entry is added to the \"Postmortem reading list\" issue, which exists already (made before the first run, not counted) and whose issue number the app remembers.",
      runs: 3,
      prepare: async (ctx, i) => {
        if (!readingList(ctx.standin)) {
          // The list's first entry (not counted): the app creates the list issue.
          ctx.primer = ctx.published.find((p) => p.k === 20)?.number ?? (await openReadyPostmortem(ctx, fixtureBody("complete"), "[Postmortem] Reading primer"));
          await ctx.standin.addLabel(OWNER, REPO, ctx.primer, RECOMMENDED_LABEL, MAINTAINER);
          await ctx.settle();
          if (!onReadingList(ctx.standin, ctx.primer)) throw new Error("the reading list was not created");
        }
        return { number: await readyForReading(ctx, i) };
      },
      act: async (ctx, s) => {
        await ctx.standin.addLabel(OWNER, REPO, s.number, RECOMMENDED_LABEL, MAINTAINER);
      },
      verify: async (ctx, s) => {
        if (!onReadingList(ctx.standin, s.number)) throw new Error(`#${s.number} is not on the reading list`);
        ctx.recommended.push(s.number);
      },
    },
    {
      id: "unrecommended",
      title: "Unrecommended (reading-list label removed)",
      events: "issues.unlabeled (`recommended`, removed by a person)",
      note: "The postmortems recommended above lose `recommended`; the entry is taken off the list.",
      runs: 3,
      prepare: async (ctx, i) => {
        const number = ctx.recommended[i];
        if (number === undefined) throw new Error("nothing recommended to take off (the recommended scenario did not run)");
        return { number };
      },
      act: async (ctx, s) => {
        await ctx.standin.removeLabel(OWNER, REPO, s.number, RECOMMENDED_LABEL, MAINTAINER);
      },
      verify: async (ctx, s) => {
        if (onReadingList(ctx.standin, s.number)) throw new Error(`#${s.number} is still on the reading list`);
      },
    },
    rebuild(true),
    rebuild(false),
  ];
}

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
  ...publishScenarios(),
  ...followUpScenarios(),
  ...readingListScenarios(),
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Webhooks the app is handling right now (its /healthz), or null when it does not say. */
async function appInFlight(app) {
  try {
    const res = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    const json = await res.json();
    return typeof json.inFlight === "number" ? json.inFlight : null;
  } catch {
    return null;
  }
}

/**
 * Waits until nothing is happening: no delivery pending at the stand-in, no API
 * request in flight, and no webhook being handled by the app (its /healthz
 * `inFlight`). Probot answers a delivery 202 after 9 s and keeps working, its
 * throttling spacing the writes 1-3 s apart, so the stand-in alone cannot tell.
 * Without /healthz: until no call has come for 3.5 s.
 */
export async function settle(standin, app, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1_000, deadline - Date.now());
  for (;;) {
    await standin.idle({ quietMs: 100, timeoutMs: left() });
    const n = await appInFlight(app);
    if (n === null) {
      await quiet(standin, () => standin.calls.length, 3_500, deadline);
      await standin.idle({ quietMs: 100, timeoutMs: left() });
      return;
    }
    if (n === 0) {
      await standin.idle({ quietMs: 100, timeoutMs: left() });
      if ((await appInFlight(app)) === 0) return;
    }
    if (Date.now() > deadline) throw new Error(`the app still handles ${n} webhook(s) after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(100);
  }
}

/** Until `count()` has not changed for `ms` (or the deadline). */
async function quiet(standin, count, ms, deadline) {
  let seen = count();
  let since = Date.now();
  while (Date.now() - since < ms && Date.now() < deadline) {
    await sleep(250);
    if (count() !== seen) {
      seen = count();
      since = Date.now();
    }
  }
}

/**
 * Acts, waits until the stand-in and the app are idle (`settle`), and counts the
 * installation calls made for the deliveries sent meanwhile (Probot sends the
 * delivery id with every API call it makes for it). Calls made meanwhile for
 * earlier deliveries (work left over from a previous scenario) are not
 * counted; they are listed apart.
 *
 * With `deferred` (work the app schedules for later, e.g. the debounced
 * metrics-issue update), `finishDeferred()` later waits for calls made for the
 * same deliveries after the window, until none has come for a while, and
 * lists them apart; it can run after the next run's (uncounted) `prepare`.
 */
async function measure(standin, app, act, options = {}) {
  const mark = standin.mark();
  await act();
  await settle(standin, app, options.timeoutMs ?? 120_000);
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
  const result = {
    count: api.length,
    calls: describe(standin, api),
    appLevelCalls: describe(standin, appLevel),
    lateCalls: describe(standin, late),
    deliveries,
    deferred: null,
  };
  const end = standin.mark();
  const endedAt = Date.now();
  const finishDeferred = async () => {
    if (!options.deferred) return;
    const deadline = endedAt + options.deferred.waitMs;
    const mine = () => standin.callsSince(end).filter((c) => c.deliveryId !== undefined && ids.has(c.deliveryId)).length;
    while (mine() === 0 && Date.now() < deadline) await sleep(250);
    if (mine() > 0) {
      await quiet(standin, mine, 3_000, Date.now() + 60_000);
      await settle(standin, app, 60_000);
    }
    const calls = standin.callsSince(end).filter((c) => !c.appLevel && c.deliveryId !== undefined && ids.has(c.deliveryId));
    result.deferred = { what: options.deferred.what, count: calls.length, calls: describe(standin, calls), waitedS: Math.round((Date.now() - endedAt) / 100) / 10 };
  };
  return { result, finishDeferred };
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
    settle: (timeoutMs) => settle(standin, app, timeoutMs),
    /** Postmortems published by the publish scenarios: { number, k, followUps: [{ owner, repo, number }] }. */
    published: [],
    /** Postmortems recommended by the recommended scenario. */
    recommended: [],
  };
  // The follow-ups' target repositories (teams.yml), private like the main one.
  for (const name of TEAM_REPOS) {
    try {
      standin.issues(OWNER, name);
    } catch {
      standin.addRepo({ owner: OWNER, name, private: true, installationId: INSTALLATION_ID });
    }
  }
  standin.setPermission(OWNER, REPO, MAINTAINER, "maintain");
  // Prime the main repository (not counted): the caches become warm and two
  // issues get a status comment, one to re-edit, one to flip.
  const ready = await standin.openIssue({ owner: OWNER, repo: REPO, title: TITLE, body: fixtureBody("complete"), labels: [POSTMORTEM_LABEL], user: "alice" });
  const flip = await standin.openIssue({ owner: OWNER, repo: REPO, title: TITLE, body: fixtureBody("complete"), labels: [POSTMORTEM_LABEL], user: "alice" });
  await ctx.settle();
  ctx.readyIssue = ready.number;
  ctx.flipIssue = flip.number;

  const results = [];
  const allBotDeliveries = [];
  for (const sc of SCENARIOS) {
    if (options.only && !options.only.some((prefix) => sc.id.startsWith(prefix))) continue;
    if (sc.notBuilt) {
      results.push({ id: sc.id, title: sc.title, events: sc.events, budget: sc.budget ?? null, notBuilt: true });
      continue;
    }
    logFn(`scenario ${sc.id}`);
    const started = Date.now();
    const runs = [];
    let pendingDeferred = null;
    try {
      for (let i = 0; i < (sc.runs ?? 3); i++) {
        const state = sc.prepare ? await sc.prepare(ctx, i) : {};
        await ctx.settle();
        // The previous run's deferred work, waited for after this run's (uncounted) preparation.
        if (pendingDeferred) await pendingDeferred();
        pendingDeferred = null;
        const { result: r, finishDeferred } = await measure(standin, app, () => sc.act(ctx, state, i), { timeoutMs: sc.timeoutMs, deferred: sc.deferred });
        if (sc.verify) await sc.verify(ctx, state, i);
        runs.push(r);
        pendingDeferred = finishDeferred;
      }
      if (pendingDeferred) await pendingDeferred();
      for (const r of runs) allBotDeliveries.push(...r.deliveries.filter((d) => d.senderIsBot));
    } catch (e) {
      // A scenario the app (or the stand-in) cannot play out any more: report it and go on.
      logFn(`scenario ${sc.id} failed: ${e instanceof Error ? e.message : String(e)}`);
      results.push({ id: sc.id, title: sc.title, events: sc.events, budget: sc.budget ?? null, failed: e instanceof Error ? e.message : String(e) });
      await ctx.settle().catch(() => {});
      continue;
    }
    const counts = runs.map((r) => r.count);
    const key = (calls) => JSON.stringify([...calls].sort());
    const sameCalls = runs.every((r) => key(r.calls) === key(runs[0].calls));
    const med = median(counts);
    const representative = runs.find((r) => r.count === med) ?? runs[0];
    const deferred = sc.deferred
      ? {
          what: sc.deferred.what,
          counts: runs.map((r) => r.deferred?.count ?? null),
          median: median(runs.map((r) => r.deferred?.count ?? null)),
          calls: tally(representative.deferred?.calls ?? []),
          identicalAcrossRuns: runs.every((r) => key(r.deferred?.calls ?? []) === key(representative.deferred?.calls ?? [])),
          runsDetail: runs.map((r) => ({ count: r.deferred?.count ?? null, calls: tally(r.deferred?.calls ?? []), waitedS: r.deferred?.waitedS ?? null })),
        }
      : undefined;
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
      deferred,
      seconds: Math.round((Date.now() - started) / 100) / 10,
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
    rebuildRecommended: REBUILD_RECOMMENDED,
    scenarios: results,
    refused: standin.refused.length,
    appErrors: app.errorLogs().map((l) => l.msg ?? JSON.stringify(l).slice(0, 300)),
  };
}
