import type { ApplicationFunctionOptions, Context, Probot } from "probot";
import type { Config } from "./config/schema.js";
import type { SetupResult } from "./config/setup.js";
import { reasonLabel } from "./postmortem/reading-list.js";
import { commandLanguage, commandRegistry } from "./features/command-registry.js";
import { findCommand, parseCommands } from "./features/commands.js";
import { followUpParent, loggedResult, readingLabels, reconcilePostmortem, restoreLostEdit, type PostmortemTarget, type Trigger } from "./features/postmortem.js";
import { isCurator, ReadingList } from "./features/reading-list.js";
import { metricsDebouncer, RowCache, sharedIssueNumbers, type MetricsIssueDeps } from "./features/metrics-issue.js";
import { createMetrics, metricsHandler } from "./runtime/prometheus.js";
import { parseInterval, sweepAll } from "./features/reminders.js";
import { reconcilePullRequest } from "./features/pull-requests.js";
import { slackFromEnv } from "./integrations/slack.js";
import type { Octokit } from "./github/octokit.js";
import { statusOf } from "./github/octokit.js";
import { installRateLimitRetry } from "./github/rate-limits.js";
import { ConditionalRequests } from "./github/conditional.js";
import { removeLabel } from "./github/labels.js";
import { issueKey } from "./github/status-comment.js";
import { isStatusComment } from "./postmortem/status.js";
import { quote } from "./postmortem/text.js";
import { messagesOf } from "./i18n/index.js";
import { commandMessages } from "./i18n/messages/commands.js";
import { createCoordinator } from "./runtime/coordination.js";
import { createRuntime, type Runtime } from "./runtime/runtime.js";
import { inFlightCount, installShutdown, isDraining, trackWork } from "./runtime/shutdown.js";

type IssueEvent =
  | "issue_comment.created"
  | "issues.opened"
  | "issues.edited"
  | "issues.reopened"
  | "issues.labeled"
  | "issues.unlabeled"
  | "issues.closed"
  | "issues.deleted"
  | "issues.transferred";
type PullRequestEvent = "pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened";

/**
 * postmortem-bot: the map of events to features.
 *
 * - issues opened / reopened / edited (body) / labeled (postmortem or published label) / closed
 *     -> the postmortem reconciler: the check, publishing, filing follow-ups, links and labels
 * - issues closed / reopened / deleted / transferred on a follow-up the app filed
 *     -> the parent postmortem is reconciled: checkbox, progress, `actions done`
 * - issues labeled / unlabeled `recommended` (or a reason), edited, deleted or transferred
 *     -> the reading list entry (curators only, complete postmortems only)
 * - issue_comment created with `/postmortem <command>` lines -> commands (help, check, publish),
 *     for people with triage permission or more
 * - pull_request opened / synchronize / reopened -> one comment listing the postmortems whose
 *     named paths the changed files touch, with their open follow-ups there (pull_requests.enabled)
 * - push touching .github/ -> drop cached config and forms
 * - issue_comment edited / deleted on the status comment -> forget the cached copy
 */
export default async function postmortemBot(app: Probot, options?: ApplicationFunctionOptions, given?: Runtime): Promise<void> {
  // With REDIS_URL, replicas share locks, delivery claims and caches; a bad URL stops the app at start.
  const runtime = given ?? createRuntime(app, { coordinator: await createCoordinator({ redisUrl: process.env.REDIS_URL, log: app.log }) });
  // Optional Slack notices (SLACK_WEBHOOK_URL or SLACK_WEBHOOK_URLS): fire and forget, retried, never failing the GitHub work.
  const slack = given ? null : slackFromEnv(process.env, app.log);
  if (slack) {
    runtime.notify ??= {
      published: (notice) => void slack.published(notice),
      recommended: (notice) => void slack.recommended(notice),
      overdue: (owner, items, language) => void slack.overdueDigest(owner, items, language),
    };
  }
  const metrics = createMetrics();
  metrics.watchCoordinator(runtime.coordinator);
  runtime.observe ??= (validation, key) => metrics.observePostmortem(validation, { key });
  const metricsDeps: MetricsIssueDeps = {
    botLogin: runtime.botLogin,
    now: runtime.now,
    reader: (octokit, installationId) => runtime.files.reader(octokit, installationId),
    numbers: sharedIssueNumbers(runtime.coordinator),
    rows: new RowCache(),
    lock: (key, task) => runtime.coordinator.withLock(key, () => task()),
  };
  const metricsUpdates = metricsDebouncer(metricsDeps, {
    onError: (err, key) => app.log.warn({ err, key }, "metrics issue update failed"),
    onResult: (result, target) => app.log.info({ target, outcome: result.outcome }, "metrics issue reconciled"),
  });
  let sweepTimer: NodeJS.Timeout | undefined;
  if (!given) {
    // Reminders: one sweep per interval; with REDIS_URL only one replica sweeps at a time.
    const interval = parseInterval(process.env.REMINDERS_INTERVAL);
    if (interval !== null) {
      sweepTimer = setInterval(() => {
        void runtime.coordinator
          .runExclusive("reminders-sweep", 30 * 60 * 1000, () => sweepAll((id) => app.auth(id), runtime, app.log))
          .catch((error: unknown) => app.log.warn({ err: error }, "reminder sweep failed"));
      }, interval).unref();
    }
    installShutdown(app.log, async () => {
      clearInterval(sweepTimer);
      metricsUpdates.cancel();
      await slack?.flush();
      await runtime.coordinator.close();
    });
  }
  // GET /metrics (Prometheus; METRICS_TOKEN makes it need a bearer token) and GET /healthz (readiness
  // beside Probot's /ping: 503 while draining, with the in-flight count operators and tests wait on).
  addRoute(options, metricsHandler({ metrics, token: process.env.METRICS_TOKEN, isReady: () => !isDraining(), health: () => ({ inFlight: inFlightCount() }) }));
  app.onAny((context) => metrics.webhookReceived(context.name, (context.payload as { action?: string }).action));
  app.onError(() => metrics.recordError("handler"));
  const handle = handlerFor(runtime, metrics);

  const readingList = new ReadingList(runtime);
  app.on(
    ["issues.opened", "issues.reopened", "issues.edited", "issues.labeled", "issues.unlabeled", "issues.closed", "issues.deleted", "issues.transferred"],
    async (context: Context<IssueEvent>) => {
      const { payload } = context;
      const followUp = await followUpParent(payload.issue, runtime.botLogin);
      if (followUp) {
        if (payload.action !== "closed" && payload.action !== "reopened" && payload.action !== "deleted" && payload.action !== "transferred") return;
        const parent: PostmortemTarget = { installationId: 0, owner: followUp.parent.owner, repo: followUp.parent.repo, issueNumber: followUp.parent.number };
        await handle(context, parent, async (octokit, target) => {
          const update = await followUpState(octokit, context, payload.action);
          const result = await reconcilePostmortem(octokit, runtime, target, { kind: "follow-up", key: followUp.key, update });
          context.log.info({ event: `issues.${payload.action}`, followUp: payload.issue.number, parent: followUp.parent, result: loggedResult(result) }, "follow-up tracked");
        });
        return;
      }
      const { owner, repo } = context.repo();
      // Edits of one issue that pile up while it is being worked on collapse into one more run: each run
      // reads the issue as it is then, so it covers every edit that arrived before it started.
      const coalesce = payload.action === "edited" && payload.changes.body ? "edited-body" : undefined;
      await handle(context, { installationId: 0, owner, repo, issueNumber: payload.issue.number }, async (octokit, target) => {
        // The payload's labels, replaced by the ones just read when the postmortem was reconciled.
        let labels = (payload.issue.labels ?? []).map((l) => l?.name ?? "");
        let setup: SetupResult | undefined;
        const bodyChanged = payload.action !== "edited" || Boolean(payload.changes.body);
        const byLabel = payload.action === "labeled" || payload.action === "unlabeled";
        if (bodyChanged && !byLabel && payload.action !== "deleted" && payload.action !== "transferred") {
          const result = await reconcilePostmortem(octokit, runtime, target, { kind: "event", actor: payload.sender.login, publishAct: payload.action === "closed" } satisfies Trigger);
          context.log.info({ event: `issues.${payload.action}`, issue: payload.issue.number, result: loggedResult(result) }, "postmortem reconciled");
          if ((payload.action === "closed" || payload.action === "reopened") && result.outcome !== "skipped") metricsUpdates.request(octokit, target);
          if (payload.action !== "edited") return;
          labels = result.labels ?? labels;
          setup = result.setup;
        }
        // The rest depends on the labels the config names (as the reconciler read it, else from the cache).
        setup ??= await runtime.files.setup(octokit, target.installationId, { owner, repo });
        const config = setup.ok ? setup.setup.config : setup.config;
        if (!config) return;
        const reading = readingLabels(config).map((l) => l.name.toLowerCase());
        const recommended = labels.some((l) => reading.includes(l.toLowerCase()));
        if (!byLabel) {
          if (recommended) await readingList.reconcileEntry(octokit, target);
          return;
        }
        const changedLabel = "label" in payload ? payload.label?.name.toLowerCase() : undefined;
        if (changedLabel && reading.includes(changedLabel)) {
          const outcome = payload.action === "labeled" ? await recommend(octokit, target, payload.sender.login, payload.label!.name) : await unrecommend(octokit, target, config, changedLabel, labels);
          context.log.info({ event: `issues.${payload.action}`, issue: payload.issue.number, outcome }, "reading list reconciled");
          return;
        }
        const relevant = [config.label, config.follow_ups.published_label].map((l) => l.toLowerCase());
        if (payload.action === "labeled" && changedLabel && relevant.includes(changedLabel)) {
          const result = await reconcilePostmortem(octokit, runtime, target, { kind: "event", actor: payload.sender.login, publishAct: changedLabel === config.follow_ups.published_label.toLowerCase() } satisfies Trigger);
          context.log.info({ event: `issues.${payload.action}`, issue: payload.issue.number, result: loggedResult(result) }, "postmortem reconciled");
          if (result.outcome !== "skipped" && result.published) metricsUpdates.request(octokit, target);
        }
      }, coalesce);

      /** The base label came off: the reason labels follow it, and the entry leaves the list. */
      async function unrecommend(octokit: Octokit, target: PostmortemTarget, config: Config, removed: string, labels: string[]) {
        if (removed === config.reading_list.label.toLowerCase()) {
          const reasons = new Set(Object.keys(config.reading_list.reasons).map((key) => reasonLabel(config, key).toLowerCase()));
          for (const name of labels.filter((l) => reasons.has(l.toLowerCase()))) {
            await removeLabel(octokit, { owner: target.owner, repo: target.repo, issue_number: target.issueNumber }, name);
          }
        }
        return readingList.reconcileEntry(octokit, target);
      }

      /** A recommendation by label: curators only, complete postmortems only; otherwise the label comes off with a word why. */
      async function recommend(octokit: Octokit, target: PostmortemTarget, sender: string, label: string) {
        const setup = await runtime.files.setup(octokit, target.installationId, target);
        const config = setup.ok ? setup.setup.config : setup.config!;
        const m = messagesOf(commandMessages, config.language);
        const issueRef = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber };
        const refuse = async (why: string) => {
          await removeLabel(octokit, issueRef, label);
          await octokit.rest.issues.createComment({ ...issueRef, body: m.labelRemoved(why, label) });
        };
        if (!(await isCurator(octokit, config, target.owner, sender))) {
          await refuse(m.notACurator(config.reading_list.curators.map((c) => c.replace(/^@/, ""))));
          return "refused: not a curator";
        }
        const outcome = await readingList.reconcileEntry(octokit, target, { by: sender });
        if (outcome === "draft") await refuse(m.labelDraft);
        if (outcome === "not-postmortem") await refuse(m.labelNotPostmortem(config.label));
        return outcome;
      }
    },
  );

  const commands = commandRegistry(runtime, readingList, metricsDeps);
  app.on("issue_comment.created", async (context: Context<"issue_comment.created">) => {
    const { payload } = context;
    const lines = parseCommands(payload.comment.body);
    if (lines.length === 0 || payload.issue.pull_request) return;
    const { owner, repo } = context.repo();
    await handle(context, { installationId: 0, owner, repo, issueNumber: payload.issue.number }, async (octokit, target) => {
      const comment = { owner, repo, comment_id: payload.comment.id };
      const react = (content: "eyes" | "rocket" | "confused") => octokit.rest.reactions.createForIssueComment({ ...comment, content });
      const reply = (body: string) => octokit.rest.issues.createComment({ owner, repo, issue_number: target.issueNumber, body });
      await react("eyes");
      // The setup first (cached: no call when it was read before), so that even the refusal is in the repository's language.
      const m = messagesOf(commandMessages, await commandLanguage(runtime, octokit, target.installationId, { owner, repo }));
      if (!(await runtime.permissions.canTriage(octokit, target.installationId, owner, repo, payload.sender.login))) {
        await reply(m.notTriage);
        await react("confused");
        return;
      }
      let ok = true;
      for (const line of lines) {
        const found = findCommand(commands, line.name);
        const spec = found ?? findCommand(commands, "help")!;
        const result = await spec.run({ octokit, installationId: target.installationId, owner, repo, issueNumber: target.issueNumber, sender: payload.sender.login, args: line.args });
        const unknown = found ? "" : m.unknownCommand(quote(`/postmortem ${line.name}`));
        if (result.reply || unknown) await reply(`${unknown}${result.reply ?? ""}`);
        ok &&= result.ok && !unknown;
      }
      await react(ok ? "rocket" : "confused");
      context.log.info({ commands: lines.map((l) => l.name), ok }, "commands run");
    });
  });

  // Incident-aware pull requests (pull_requests.enabled): one comment listing the postmortems whose paths it touches.
  app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], async (context: Context<PullRequestEvent>) => {
    const { owner, repo } = context.repo();
    await handle(context, { installationId: 0, owner, repo, issueNumber: context.payload.pull_request.number }, async (octokit, target) => {
      const outcome = await reconcilePullRequest(octokit, runtime, { installationId: target.installationId, owner, repo, number: target.issueNumber });
      context.log.info({ event: `pull_request.${context.payload.action}`, pull: target.issueNumber, outcome }, "pull request reconciled");
    });
  });

  app.on("push", async (context) => {
    const { payload } = context;
    if (payload.ref !== `refs/heads/${payload.repository.default_branch}`) return;
    const touched = payload.commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
    if (payload.commits.length > 0 && !touched.some((path) => path.startsWith(".github/"))) return;
    const installationId = payload.installation?.id;
    if (installationId === undefined) return;
    await runtime.files.invalidateOwner(installationId, context.repo().owner);
    context.log.info({ repo: payload.repository.full_name }, "config and form cache invalidated");
  });

  app.on(["issue_comment.edited", "issue_comment.deleted"], async (context) => {
    const { payload } = context;
    const previousBody = (payload as { changes?: { body?: { from?: string } } }).changes?.body?.from;
    const wasStatus = isStatusComment(payload.comment.body) || isStatusComment(previousBody);
    if (!wasStatus || (await isOwnEvent(runtime, context))) return;
    const installationId = payload.installation?.id;
    if (installationId === undefined) return;
    const key = issueKey(installationId, context.issue());
    await runtime.coordinator.withLock(key, () => runtime.comments.forget(key));
  });
}

/** The follow-up's state as GitHub has it now (a redelivered payload may be stale). */
async function followUpState(octokit: Octokit, context: Context<IssueEvent>, action: string): Promise<Extract<Trigger, { kind: "follow-up" }>["update"]> {
  if (action === "deleted") return { state: "open", missing: "deleted" };
  if (action === "transferred") return { state: "open", missing: "transferred" };
  try {
    const { data } = await octokit.rest.issues.get(context.issue());
    if (data.state !== "closed") return { state: "open", reason: undefined, missing: undefined };
    return { state: "closed", reason: data.state_reason === "not_planned" ? "not_planned" : "completed", missing: undefined };
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return { state: "open", missing: "deleted" };
    throw error;
  }
}

/**
 * Every issue and pull-request handler runs through here: the app's own events are dropped
 * (no loops), a delivery is handled once, and one issue is worked on at a time.
 */
function handlerFor(runtime: Runtime, metrics: ReturnType<typeof createMetrics>) {
  const queued = new Map<string, Promise<void>>();
  const queue = queueFor(runtime, queued);
  const conditional = new ConditionalRequests();
  return async (
    context: Context<IssueEvent | PullRequestEvent>,
    postmortem: PostmortemTarget,
    work: (octokit: Octokit, target: PostmortemTarget) => Promise<void>,
    coalesce?: string,
  ): Promise<void> => {
    const installationId = context.payload.installation?.id;
    if (installationId === undefined) return;
    if (await isOwnEvent(runtime, context)) {
      const own = context.name === "issues" ? ownBodyEdit(context as Context<IssueEvent>) : null;
      if (!own) return;
      // The app's own body write: make sure it did not overwrite a person's edit (see restoreLostEdit).
      // Never collapsed with a person's queued edit: that run would not look at what this write replaced.
      coalesce = undefined;
      work = async (octokit, target) => {
        if (await restoreLostEdit(octokit, runtime, target, own)) context.log.warn({ issue: target.issueNumber }, "restored a person's edit that the app's write had replaced");
      };
    }
    if (!(await runtime.coordinator.claimDelivery(context.id))) {
      context.log.debug({ delivery: context.id }, "duplicate delivery ignored");
      return;
    }
    const target = { ...postmortem, installationId };
    installRateLimitRetry(context.octokit, { log: context.log });
    conditional.install(context.octokit, String(installationId));
    metrics.instrumentOctokit(context.octokit);
    const lockKey = issueKey(installationId, { owner: target.owner, repo: target.repo, issue_number: target.issueNumber });
    try {
      const action = (context.payload as { action?: string }).action;
      const run = () => runtime.coordinator.withLock(lockKey, () => work(context.octokit, target));
      const pending = coalesce ? queued.get(`${lockKey}|${coalesce}`) : undefined;
      await trackWork(() => metrics.timeHandler(`${context.name}.${action ?? ""}`, () => pending ?? (coalesce ? queue(`${lockKey}|${coalesce}`, lockKey, () => work(context.octokit, target)) : run())));
    } catch (error) {
      await runtime.coordinator.releaseDelivery(context.id).catch((e: unknown) => context.log.warn({ err: e }, "could not release the delivery claim"));
      throw error;
    }
  };
}

/** Probot 14 routes come from addHandler; a Probot without a server (tests with probot.receive) has none. */
function addRoute(options: ApplicationFunctionOptions | undefined, handler: Parameters<ApplicationFunctionOptions["addHandler"]>[0]): void {
  try {
    options?.addHandler(handler);
  } catch (error) {
    if (!(error instanceof Error && error.message === "No server instance")) throw error;
  }
}

function ownBodyEdit(context: Context<IssueEvent>): { from: string; to: string } | null {
  const { payload } = context;
  if (payload.action !== "edited" || !payload.changes.body) return null;
  // Bodies the app owns whole (the reading list) have nothing of a person's to lose.
  if (payload.issue.body?.startsWith("<!-- postmortem-bot:")) return null;
  return { from: payload.changes.body.from ?? "", to: payload.issue.body ?? "" };
}

/** Runs `task` under the issue's lock; later arrivals of the same kind share it until it starts. */
function queueFor(runtime: Runtime, queued: Map<string, Promise<void>>) {
  return (slot: string, lockKey: string, task: () => Promise<void>): Promise<void> => {
    const promise = runtime.coordinator.withLock(lockKey, async () => {
      if (queued.get(slot) === promise) queued.delete(slot);
      await task();
    });
    queued.set(slot, promise);
    promise.catch(() => undefined).finally(() => {
      if (queued.get(slot) === promise) queued.delete(slot);
    });
    return promise;
  };
}

async function isOwnEvent(runtime: Runtime, context: Context): Promise<boolean> {
  const sender = (context.payload as { sender?: { type?: string; login?: string } }).sender;
  if (sender?.type !== "Bot") return false;
  return sender.login === (await runtime.botLogin());
}
