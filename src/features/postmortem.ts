import { renderFieldsUsed } from "../postmortem/fields-used.js";
import type { Config } from "../config/schema.js";
import { languageOf, type SetupResult } from "../config/setup.js";
import { defaultConfig } from "../config/schema.js";
import { applyLabels, nextLabels, type IssueLabel, type LabelSpec } from "../github/labels.js";
import { statusOf, type Octokit } from "../github/octokit.js";
import { issueKey, type IssueRef } from "../github/status-comment.js";
import { formatReference } from "../postmortem/action-items.js";
import { reasonLabel } from "../postmortem/reading-list.js";
import { quote } from "../postmortem/text.js";
import { mayCopy, type RepoInfo } from "../github/repos.js";
import { messagesOf } from "../i18n/index.js";
import { labelMessages } from "../i18n/messages/labels.js";
import { security } from "../i18n/messages/security.js";
import { statusMessages } from "../i18n/messages/status.js";
import { reasonDescription } from "../postmortem/reason-text.js";
import {
  itemsToFile,
  MAX_FOLLOW_UPS,
  linkAndTickItems,
  progress,
  readFollowUpMarker,
  readFollowUps,
  renderFollowUp,
  type FilingPlanEntry,
  type FollowUpRecord,
  type FollowUpState,
  type PostmortemFacts,
} from "../postmortem/follow-ups.js";
import { similarForStatus } from "./similar.js";
import { readState, renderStatusComment, type CheckOutcome, type FollowUpView, type PostmortemState } from "../postmortem/status.js";
import type { SimilarState } from "../postmortem/similarity.js";
import type { Validation } from "../postmortem/validate.js";
import type { Runtime } from "../runtime/runtime.js";
import { levels as levelsCatalog } from "../i18n/messages/levels.js";
import { renderLevelSection } from "../postmortem/level-status.js";
import { evaluatedLevelLabel, followUpDueDate, readLevelEvaluation, type LevelEvaluation } from "../postmortem/levels.js";
import { createHash } from "node:crypto";

/** What the reconciler needs of the app's runtime (see src/runtime/runtime.ts). */
export type PostmortemDeps = Pick<Runtime, "coordinator" | "files" | "comments" | "labels" | "repos" | "permissions" | "validations" | "similar" | "now" | "botLogin" | "observe" | "notify">;

export interface PostmortemTarget {
  installationId: number;
  owner: string;
  repo: string;
  issueNumber: number;
}

/** Why the reconciler runs, beyond "look at this postmortem again". */
/**
 * Why the reconciler runs, beyond "look at this postmortem again". `actor` is
 * who caused it (the delivery's sender, the commenter): only someone with
 * triage or more may cause publishing and filing. A follow-up's event has none.
 */
export type Trigger =
  | { kind: "event"; actor?: string; publishAct?: boolean }
  | { kind: "publish-command"; actor: string }
  | { kind: "similar-command" }
  | { kind: "follow-up"; key: string; update: Pick<FollowUpRecord, "state" | "reason" | "missing"> }
  | { kind: "evaluate-level"; evaluation: LevelEvaluation; actor: string };

export type ReconcileResult = (
  | { outcome: "skipped"; reason: string; labels?: string[] }
  | {
      outcome: "ready" | "incomplete" | "error";
      /** The issue's labels as read (fresh), for callers that route on them. */
      labels?: string[];
      commentWrites: number;
      labelsChanged: boolean;
      filed: number;
      bodyChanged: boolean;
      published?: boolean;
      publishRefused?: boolean;
      /** Similar postmortems could not be looked up (the kept ones stay); the log says why. */
      similarError?: string;
    }
) & {
  /** The repository's config and form as the reconciler read them, so the caller need not read them again. */
  setup?: SetupResult;
};

/** A result for the log: without the setup, which is large and says nothing about this issue. */
export function loggedResult({ setup: _setup, ...rest }: ReconcileResult): Omit<ReconcileResult, "setup"> {
  return rest;
}

/** The labels the app manages: names as configured, descriptions in the config's language. */
export function managedLabels(config: Config): Record<"incomplete" | "ready" | "published" | "actionsDone", LabelSpec> {
  const m = messagesOf(labelMessages, config.language);
  return {
    incomplete: { name: config.labels.incomplete, color: "d93f0b", description: m.incomplete },
    ready: { name: config.labels.ready, color: "0e8a16", description: m.ready },
    published: { name: config.follow_ups.published_label, color: "1d76db", description: m.published },
    actionsDone: { name: config.follow_ups.actions_done_label, color: "5319e7", description: m.actionsDone },
  };
}

/**
 * The whole postmortem as one reconciler: read the issue, config, form and the
 * app's state as they are now; compute the status comment, labels, follow-ups
 * and body links they call for; write only the difference. A redelivered or
 * reordered event therefore changes nothing, and a publish that stopped
 * halfway resumes without duplicates.
 */
export async function reconcilePostmortem(
  octokit: Octokit,
  deps: PostmortemDeps,
  target: PostmortemTarget,
  trigger: Trigger = { kind: "event" },
): Promise<ReconcileResult> {
  const issueRef: IssueRef = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber };
  const home = { owner: target.owner, repo: target.repo };
  const issue = await readIssue(octokit, issueRef);
  if (!issue) return { outcome: "skipped", reason: "issue is gone" };
  if (issue.pull_request) return { outcome: "skipped", reason: "pull request" };

  const setup = await deps.files.setup(octokit, target.installationId, home);
  const config = setup.ok ? setup.setup.config : (setup.config ?? defaultConfig);
  const labels = labelNames(issue);
  const has = (name: string) => labels.some((l) => l.toLowerCase() === name.toLowerCase());
  if (!has(config.label)) {
    deps.similar?.forget(target.installationId, `${target.owner}/${target.repo}#${target.issueNumber}`);
    return { outcome: "skipped", reason: "not labelled as a postmortem", labels, setup };
  }

  const key = issueKey(target.installationId, issueRef);
  let comment = await deps.comments.find(octokit, key, issueRef);
  const previous = readState(comment?.body);
  let commentWrites = 0;
  const writeComment = async (outcome: CheckOutcome, state: PostmortemState) => {
    const result = await deps.comments.write(octokit, key, issueRef, comment, renderStatusComment(outcome, state));
    comment = result.comment;
    if (result.wrote) commentWrites++;
  };

  if (!setup.ok) {
    // The config, when it could be read, says the language; else English.
    await writeComment({ status: "error", fileProblems: setup.problems, language: languageOf(setup) }, { ...previous, v: 1, status: "error" });
    return { outcome: "error", commentWrites, labelsChanged: false, filed: 0, bodyChanged: false, setup };
  }

  const followUps = readFollowUps(previous);
  const evaluation = trigger.kind === "evaluate-level" ? trigger.evaluation : readLevelEvaluation(previous);
  const validation = deps.validations.validate(issue.body ?? "", setup.setup, deps.now(), home, evaluation);
  if (trigger.kind === "follow-up" && followUps.items[trigger.key]) {
    followUps.items[trigger.key] = { ...followUps.items[trigger.key]!, ...trigger.update };
  }

  const fu = config.follow_ups;
  const notices: string[] = [];
  const publishAsked =
    (fu.publish_on === "label" && has(fu.published_label)) ||
    (fu.publish_on === "close" && issue.state === "closed" && issue.state_reason === "completed") ||
    (fu.publish_on === "command" && trigger.kind === "publish-command");
  const texts = messagesOf(security, config.language);
  const statusTexts = messagesOf(statusMessages, config.language);
  // Who caused this run, and whether they may cause writes beyond this issue (asked only when it matters).
  const actor = "actor" in trigger ? trigger.actor : undefined;
  let actorMay: boolean | undefined;
  const mayWrite = async () => (actorMay ??= actor !== undefined && (await deps.permissions.atLeast(octokit, target.installationId, home, actor, "triage")));
  let refusePublish = false;
  let deferPublish = false;
  let replyRefusal: string | undefined;
  // Only the run of the publishing act itself (the label added, the close, the command) is refused on its
  // actor's behalf; any other run that sees the publish asked for waits for that act's own event.
  const publishAct = trigger.kind === "publish-command" || (trigger.kind === "event" && trigger.publishAct === true);
  if (publishAsked && !followUps.published && validation.valid && !(await mayWrite())) {
    refusePublish = publishAct;
    deferPublish = !publishAct;
    notices.push(texts.publishNeedsTriage(quote(actor ?? "?"), statusTexts.publishHow(fu.publish_on, fu.published_label)));
    // One reply per refused person, remembered in the state: repeated attempts do not add comments.
    if (publishAct && actor !== undefined && followUps.refusedPublisher?.toLowerCase() !== actor.toLowerCase()) {
      replyRefusal = texts.publishRefusedReply(quote(actor));
      followUps.refusedPublisher = actor;
    }
  } else if (publishAsked && !followUps.published && !validation.valid) {
    refusePublish = true;
    notices.push(statusTexts.publishRefused(validation.problems.length, fu.publish_on, fu.published_label));
  }
  const wasPublished = followUps.published;
  if (publishAsked && validation.valid && !refusePublish && !deferPublish) {
    followUps.published = true;
    delete followUps.refusedPublisher;
  }

  let plan: FilingPlanEntry[] = [];
  if (followUps.published) {
    plan = itemsToFile(validation.actionItems, followUps, config, home);
    const room = Math.max(0, MAX_FOLLOW_UPS - Object.keys(followUps.items).length - Object.keys(followUps.unfiled ?? {}).length);
    if (plan.length > room) {
      notices.push(texts.tooManyFollowUps(MAX_FOLLOW_UPS, plan.length - room));
      plan = plan.slice(0, room);
    }
    // Items added after publishing are filed only when someone allowed to caused this run.
    if (plan.length > 0 && !(await mayWrite())) {
      notices.push(texts.filingNeedsTriage(plan.length));
      plan = [];
    }
    if (plan.length > 0) plan = await refuseUnsafeTargets(octokit, deps, target, plan, config, notices, followUps);
    if (followUps.unfiled) {
      // Said on every rendering while the item is as it was; an edited item has another key and is tried again.
      const current = new Set(validation.actionItems.map((item) => item.key));
      for (const key of Object.keys(followUps.unfiled)) if (!current.has(key)) delete followUps.unfiled[key];
      notices.push(...Object.values(followUps.unfiled));
      if (Object.keys(followUps.unfiled).length === 0) delete followUps.unfiled;
    }
  }

  const status = validation.valid ? "ready" : "incomplete";
  let similarError: string | undefined;
  const similar = await similarForStatus(octokit, deps.similar, {
    ...home,
    installationId: target.installationId,
    issue,
    parsed: validation.parsed,
    setup: setup.setup,
    previous,
    status,
    asked: trigger.kind === "similar-command",
    onError: (error) => (similarError = error instanceof Error ? error.message : String(error)),
  });
  const outcome = (): CheckOutcome => checkOutcome(validation, config, { state: followUps, notices }, similar, deps.now());
  const stateOf = (): PostmortemState => ({
    ...previous,
    v: 1,
    status,
    followUps: { ...followUps, items: { ...followUps.items } },
    similar,
    ...(evaluation ? { levelEvaluation: evaluation } : {}),
  });

  // Before the first creation, say so in the state: a crash after it is then recovered, not repeated.
  const resuming = followUps.filingSince !== undefined;
  if (plan.length > 0) followUps.filingSince ??= deps.now().toISOString();
  await writeComment(outcome(), stateOf());
  if (replyRefusal) await octokit.rest.issues.createComment({ ...issueRef, body: replyRefusal });
  // Said once: the published state is saved above, under the issue's lock.
  if (!wasPublished && followUps.published && deps.notify) {
    deps.notify.published({
      owner: target.owner,
      repo: target.repo,
      number: target.issueNumber,
      title: await slackTitle(octokit, deps, target, config, issue.title),
      url: issue.html_url,
      severity: validation.severity,
      ttdSeconds: validation.metrics.ttd.seconds,
      ttrSeconds: validation.metrics.ttr.seconds,
      actionItems: validation.actionItems.length,
      ttrFrom: config.metrics.ttr_from,
      language: config.language,
    });
  }

  let filed = 0;
  if (plan.length > 0) {
    const already = resuming ? await findFiledFollowUps(octokit, deps, target, plan, config, followUps.filingSince!) : new Map<string, FollowUpRecord>();
    const facts: PostmortemFacts = {
      ref: { owner: target.owner, repo: target.repo, number: target.issueNumber },
      title: issue.title,
      severity: validation.severity,
      incidentDate: validation.timeline.startedAt === undefined ? null : new Date(validation.timeline.startedAt).toISOString().slice(0, 10),
      defaultDue: followUpDueDate(validation.level.level, Date.parse(followUps.filingSince!), config),
    };
    for (const [i, entry] of plan.entries()) {
      const record = already.get(entry.item.key) ?? (await fileFollowUp(octokit, entry, facts, config, target, deps));
      if (!already.has(entry.item.key)) filed++;
      followUps.items[entry.item.key] = record;
      if (i === plan.length - 1) delete followUps.filingSince;
      await writeComment(outcome(), stateOf());
    }
  } else if (followUps.filingSince !== undefined) {
    delete followUps.filingSince;
    await writeComment(outcome(), stateOf());
  }

  // The body belongs to people: links and ticks go onto a freshly read body, never the one read before filing.
  let items = validation.actionItems;
  let labelled = issue;
  if (filed > 0) {
    const fresh = await readIssue(octokit, issueRef);
    if (!fresh) return { outcome: status, commentWrites, labelsChanged: false, filed, bodyChanged: false, published: followUps.published, setup };
    items = deps.validations.validate(fresh.body ?? "", setup.setup, deps.now(), home).actionItems;
    labelled = fresh;
  }
  const body = labelled.body ?? "";
  const currentLabels = labelNames(labelled);
  const state = labelled.state;
  const newBody = linkAndTickItems(body, items, followUps, config.language);

  const managed = managedLabels(config);
  const done = progress(followUps).allClosed && plan.length === 0;
  const want = [status === "ready" ? managed.ready : managed.incomplete];
  const drop = [status === "ready" ? managed.incomplete : managed.ready];
  if (followUps.published && fu.publish_on !== "label") want.push(managed.published);
  if (refusePublish && fu.publish_on === "label") drop.push(managed.published);
  if (followUps.published) (done ? want : drop).push(managed.actionsDone);
  const evaluatedLabel = evaluation ? evaluatedLabelSpec(evaluation.level, config) : null;
  if (evaluatedLabel) want.push(evaluatedLabel);
  if (evaluatedLabel) drop.push(...staleEvaluatedLabels(currentLabels, evaluatedLabel, config));
  const nextNames = nextLabels(currentLabels, want.map((l) => l.name), drop.map((l) => l.name));
  const closeIt = done && fu.close_postmortem_when_done && state === "open";

  if (nextNames) {
    const missing = want.filter((l) => !currentLabels.some((c) => c.toLowerCase() === l.name.toLowerCase()));
    if (missing.length > 0) await deps.labels.ensure(octokit, target.installationId, target.owner, target.repo, [...Object.values(managed), ...readingLabels(config), ...(evaluatedLabel ? [evaluatedLabel] : [])]);
  }
  if (newBody !== null) await rememberOwnBody(deps, target, newBody);
  if (newBody !== null || closeIt) {
    await octokit.rest.issues.update({
      ...issueRef,
      ...(newBody !== null ? { body: newBody } : {}),
      ...(closeIt ? { state: "closed" as const, state_reason: "completed" as const } : {}),
    });
  }
  if (nextNames) {
    await applyLabels(
      octokit,
      { ref: issueRef, nodeId: labelled.node_id, labels: issueLabels(labelled) },
      want.map((l) => l.name),
      drop.map((l) => l.name),
      deps.labels.idsFor(target.installationId, target.owner, target.repo),
    );
  }
  return {
    outcome: status,
    labels,
    commentWrites,
    labelsChanged: nextNames !== null,
    filed,
    bodyChanged: newBody !== null,
    published: followUps.published,
    publishRefused: refusePublish,
    ...(similarError ? { similarError } : {}),
    setup,
  };
}

/**
 * What the status comment shows for a postmortem that could be checked, all in
 * the config's language: the problems and metrics of its validation, the fields
 * used, the level section, the follow-ups with their notices, similar postmortems.
 */
export function checkOutcome(validation: Validation, config: Config, followUps: FollowUpView, similar: SimilarState | undefined, now: Date): CheckOutcome {
  return {
    status: validation.valid ? "ready" : "incomplete",
    problems: validation.problems,
    metrics: validation.metrics,
    zone: config.timezone,
    followUps,
    fieldsUsed: renderFieldsUsed(validation.roles, validation.metrics, config.metrics.ttr_from, config.language),
    language: config.language,
    ...(similar ? { similar: { state: similar, language: config.language } } : {}),
    levelSection: renderLevelSection(validation.level, {
      language: config.language,
      zone: config.timezone,
      published: followUps.state.published,
      overBudgetThreshold: config.reviews.require_over_budget,
      now,
    }),
  };
}

/** The label that carries the evaluated level, so issue lists and the report see it. */
function evaluatedLabelSpec(level: string, config: Config): LabelSpec {
  return { name: evaluatedLevelLabel(level, config), color: "c5def5", description: messagesOf(levelsCatalog, config.language).evaluatedLabelDescription };
}

/** Evaluated-level labels other than the current one (a level evaluated again, or a label added by hand). */
function staleEvaluatedLabels(current: readonly string[], keep: LabelSpec, config: Config): LabelSpec[] {
  const prefix = config.labels.evaluated_level.toLowerCase();
  return current
    .filter((name) => name.toLowerCase().startsWith(prefix) && name.toLowerCase() !== keep.name.toLowerCase())
    .map((name) => ({ name, color: "c5def5", description: "" }));
}

/** The reading list's labels, created with the others so curators find them ready to use; descriptions in the config's language. */
export function readingLabels(config: Config): LabelSpec[] {
  return [
    { name: config.reading_list.label, color: "fbca04", description: messagesOf(labelMessages, config.language).recommended },
    ...Object.keys(config.reading_list.reasons).map((key) => ({ name: reasonLabel(config, key), color: "fef2c0", description: reasonDescription(config, key) })),
  ];
}

/**
 * GitHub cannot update an issue body conditionally, and Probot's throttling
 * leaves a second or more between the app's read and its write. When the app's
 * own body write comes back and what it replaced (`from`) is not the body its
 * links were computed on, a person's edit landed in that gap: write their
 * version again, with the links, unless someone has edited since. Costs nothing
 * in the usual case (setup and state come from the caches).
 */
export async function restoreLostEdit(
  octokit: Octokit,
  deps: PostmortemDeps,
  target: PostmortemTarget,
  edit: { from: string; to: string },
): Promise<boolean> {
  const issueRef: IssueRef = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber };
  const home = { owner: target.owner, repo: target.repo };
  const setup = await deps.files.setup(octokit, target.installationId, home);
  if (!setup.ok) return false;
  const comment = await deps.comments.find(octokit, issueKey(target.installationId, issueRef), issueRef);
  const followUps = readFollowUps(readState(comment?.body));
  const wanted = linkAndTickItems(edit.from, deps.validations.validate(edit.from, setup.setup, deps.now(), home).actionItems, followUps, setup.setup.config.language) ?? edit.from;
  if (wanted === edit.to) return false;
  // What the app itself wrote before is not a person's edit (or a restore would undo itself).
  if ((await ownBodies(deps, target)).includes(hash(edit.from))) return false;
  const current = await readIssue(octokit, issueRef);
  if (!current || (current.body ?? "") !== edit.to) return false;
  await rememberOwnBody(deps, target, wanted);
  await octokit.rest.issues.update({ ...issueRef, body: wanted });
  return true;
}

const OWN_BODIES_KEPT = 10;

function ownBodiesKey(target: PostmortemTarget): string {
  return `own-bodies:${target.installationId}:${target.owner}/${target.repo}#${target.issueNumber}`.toLowerCase();
}

async function ownBodies(deps: PostmortemDeps, target: PostmortemTarget): Promise<string[]> {
  return (await deps.coordinator.cacheGet<string[]>(ownBodiesKey(target))) ?? [];
}

/** Hashes of the last bodies the app wrote to this issue, shared by replicas. */
async function rememberOwnBody(deps: PostmortemDeps, target: PostmortemTarget, body: string): Promise<void> {
  const kept = [hash(body), ...(await ownBodies(deps, target))].slice(0, OWN_BODIES_KEPT);
  await deps.coordinator.cacheSet(ownBodiesKey(target), kept, 60 * 60 * 1000);
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

type RestIssue = { labels: Array<string | { name?: string; node_id?: string }> };

function issueLabels(issue: RestIssue): IssueLabel[] {
  return issue.labels.flatMap((label) => (typeof label === "string" ? [{ name: label }] : label.name ? [{ name: label.name, node_id: label.node_id }] : []));
}

function labelNames(issue: RestIssue): string[] {
  return issueLabels(issue).map((label) => label.name);
}

async function readIssue(octokit: Octokit, ref: IssueRef) {
  try {
    return (await octokit.rest.issues.get(ref)).data;
  } catch (error) {
    // Deleted or transferred since the event was sent.
    if (statusOf(error) === 404 || statusOf(error) === 410) return null;
    throw error;
  }
}

/**
 * Drops items whose target the app cannot or must not write to, with a notice saying how to fix it.
 * A target that does not exist is remembered in `followUps.unfiled`, so it is said once and not retried on every event.
 */
async function refuseUnsafeTargets(
  octokit: Octokit,
  deps: PostmortemDeps,
  target: PostmortemTarget,
  plan: FilingPlanEntry[],
  config: Config,
  notices: string[],
  followUps: FollowUpState,
): Promise<FilingPlanEntry[]> {
  const texts = messagesOf(security, config.language);
  const m = messagesOf(statusMessages, config.language);
  const home = (await deps.repos.get(octokit, target.installationId, target.owner, target.repo)) ?? PRIVATE;
  const kept: FilingPlanEntry[] = [];
  for (const entry of plan) {
    const { owner, repo } = entry.owner.repo;
    const where = `\`${owner}/${repo}\``;
    const which = m.item(entry.item.index + 1, quote(entry.item.text));
    if (owner.toLowerCase() !== target.owner.toLowerCase()) {
      notices.push(m.notFiledOtherOwner(which, where, target.owner));
      continue;
    }
    const info = await deps.repos.get(octokit, target.installationId, owner, repo);
    if (info === null) {
      (followUps.unfiled ??= {})[entry.item.key] = texts.targetMissing(which, where);
      continue;
    }
    if (!mayCopy(home.visibility, info.visibility, config.follow_ups.allow_public_targets)) {
      notices.push(texts.targetMoreVisible(which, where, m.visibility(home.visibility), m.visibility(info.visibility)));
      continue;
    }
    kept.push(entry);
  }
  return kept;
}

/**
 * Slack is outside GitHub: a title from a repository that is not public goes
 * there only with `slack.allow_private`; otherwise the reference stands for it.
 */
export async function slackTitle(octokit: Octokit, deps: Pick<PostmortemDeps, "repos">, target: PostmortemTarget, config: Config, title: string): Promise<string> {
  if (config.slack.allow_private) return title;
  const info = await deps.repos.get(octokit, target.installationId, target.owner, target.repo);
  return info?.visibility === "public" ? title : formatReference({ owner: target.owner, repo: target.repo, number: target.issueNumber });
}

/** A repository whose visibility cannot be read is treated as the least visible. */
const PRIVATE: RepoInfo = { private: true, visibility: "private" };

async function fileFollowUp(
  octokit: Octokit,
  entry: FilingPlanEntry,
  facts: PostmortemFacts,
  config: Config,
  target: PostmortemTarget,
  deps: PostmortemDeps,
): Promise<FollowUpRecord> {
  const home = (await deps.repos.get(octokit, target.installationId, target.owner, target.repo)) ?? PRIVATE;
  const destination = entry.owner.repo;
  const info = await deps.repos.get(octokit, target.installationId, destination.owner, destination.repo);
  // Into a more visible repository (allowed by `allow_public_targets`): only the item's text and a link.
  const minimal = info !== null && !mayCopy(home.visibility, info.visibility, false);
  const content = renderFollowUp(entry, facts, config, { minimal });
  const { data } = await octokit.rest.issues.create({ ...destination, ...content });
  // Clipped: the state lives in the status comment, which GitHub caps at 65,536 characters.
  return { ref: formatReference({ ...destination, number: data.number }), state: "open", text: entry.item.text.slice(0, 200) };
}

/**
 * After a publish that stopped between creating a follow-up and recording it:
 * find what was already created, by the marker the app writes into each one.
 */
async function findFiledFollowUps(
  octokit: Octokit,
  deps: PostmortemDeps,
  target: PostmortemTarget,
  plan: FilingPlanEntry[],
  config: Config,
  since: string,
): Promise<Map<string, FollowUpRecord>> {
  const found = new Map<string, FollowUpRecord>();
  const login = await deps.botLogin();
  const parent = formatReference({ owner: target.owner, repo: target.repo, number: target.issueNumber }).toLowerCase();
  const repos = new Map(plan.map((entry) => [`${entry.owner.repo.owner}/${entry.owner.repo.repo}`.toLowerCase(), entry.owner.repo]));
  for (const repo of repos.values()) {
    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, labels: config.follow_ups.label, state: "all", since, per_page: 100 });
    for (const candidate of issues) {
      if (candidate.user?.login !== login) continue;
      const marker = readFollowUpMarker(candidate.body);
      if (!marker || formatReference(marker.parent).toLowerCase() !== parent) continue;
      const entry = plan.find((e) => e.item.key === marker.key);
      if (!entry) continue;
      found.set(marker.key, {
        ref: formatReference({ ...repo, number: candidate.number }),
        state: candidate.state === "closed" ? "closed" : "open",
        ...(candidate.state === "closed" ? { reason: candidate.state_reason === "not_planned" ? "not_planned" : "completed" } : {}),
        text: entry.item.text,
      });
    }
  }
  return found;
}

/** The parent postmortem and item of a follow-up the app filed, or null for any other issue. */
export async function followUpParent(
  issue: { body?: string | null; user?: { login?: string } | null },
  botLogin: () => Promise<string>,
): Promise<{ parent: { owner: string; repo: string; number: number }; key: string } | null> {
  const marker = readFollowUpMarker(issue.body);
  // Only trust markers in issues the app itself wrote: anyone can type one.
  if (!marker || issue.user?.login !== (await botLogin())) return null;
  return marker;
}

