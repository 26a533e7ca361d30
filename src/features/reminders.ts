import type { Config } from "../config/schema.js";
import type { RepoFileCache } from "../github/files.js";
import type { Octokit } from "../github/octokit.js";
import { issueKey, type StatusComments } from "../github/status-comment.js";
import { readFollowUpMarker } from "../postmortem/follow-ups.js";
import { readState, writeState, type PostmortemState } from "../postmortem/status.js";
import type { OverdueItem } from "../integrations/slack.js";
import type { Coordinator } from "../runtime/coordination.js";
import type { Language } from "../i18n/index.js";
import { messagesOf } from "../i18n/index.js";
import { reminderMessages } from "../i18n/messages/reminders.js";
import type { Notify } from "../runtime/runtime.js";
import { reconcileDigests } from "./digest.js";
import { remindReviews } from "./review-reminders.js";

export interface ReminderDeps {
  notify?: Notify;
  coordinator?: Coordinator;
  files: RepoFileCache;
  comments: StatusComments;
  now: () => Date;
  botLogin: () => Promise<string>;
}

export interface SweepResult {
  repositories: number;
  draftsReminded: number;
  followUpsReminded: number;
  reviewsReminded: number;
  skipped: number;
  /** Sharing-meeting digests created or edited. */
  digestsWritten: number;
}

const DAY = 24 * 60 * 60 * 1000;
const REMINDER_MARKER = "<!-- postmortem-bot:reminder ";

/** Reminders are due when none was sent, or the last one is `repeatDays` old. */
export function reminderDue(last: string | null | undefined, now: Date, repeatDays: number): boolean {
  if (!last) return true;
  const at = Date.parse(last);
  return Number.isNaN(at) || now.getTime() - at >= repeatDays * DAY;
}

/** The due date written in a follow-up the app filed (`| Due | YYYY-MM-DD |`, `| 期限 | YYYY-MM-DD |` in Japanese). */
export function dueDateOf(body: string | null | undefined): string | null {
  const row = /^\| (?:Due|期限) \| (?:(\d{4}-\d{2}-\d{2})|(\d{4})年(\d{1,2})月(\d{1,2})日) \|$/m.exec(body ?? "");
  if (!row) return null;
  // A Japanese follow-up writes its due date as `2026年12月15日` (formatDate); both read as the same day.
  return row[1] ?? `${row[2]}-${row[3]!.padStart(2, "0")}-${row[4]!.padStart(2, "0")}`;
}

/**
 * One sweep over an installation's repositories: a postmortem still incomplete
 * `draft_after_days` after it was opened gets one reminder addressed to its
 * assignees (or its author); a follow-up past its due date gets one reminder.
 * Neither repeats within `repeat_days`. The time of the last reminder is kept in
 * the app's hidden state (the status comment; the reminder comment itself for
 * follow-ups), so a restart or a second replica does not send it again.
 */
/** A repository the sweep reads; its visibility comes with the installation's repository list (absent counts as private). */
export interface SweptRepo {
  owner: string;
  repo: string;
  visibility?: string;
}

export async function sweepInstallation(octokit: Octokit, deps: ReminderDeps, installationId: number, repositories: SweptRepo[]): Promise<SweepResult> {
  const result: SweepResult = { repositories: repositories.length, draftsReminded: 0, followUpsReminded: 0, reviewsReminded: 0, skipped: 0, digestsWritten: 0 };
  const overdue = new Map<string, OverdueItem[]>();
  // What the Slack digest may show of each overdue follow-up (Slack is outside GitHub: see slackTitle).
  const slackItems = new Map<string, OverdueItem[]>();
  // The digest's language per owner: that of the first repository (in sweep order) with an overdue follow-up.
  const languages = new Map<string, Language>();
  const now = deps.now();
  const login = await deps.botLogin();
  for (const repo of repositories) {
    const setup = await deps.files.setup(octokit, installationId, repo);
    if (!setup.ok) {
      result.skipped++;
      continue;
    }
    const config = setup.setup.config;
    if (!config.reminders.enabled) continue;
    result.draftsReminded += await remindDrafts(octokit, deps, installationId, repo, config, now);
    const before = overdue.get(repo.owner)?.length ?? 0;
    result.followUpsReminded += await remindOverdue(octokit, repo, config, now, login, overdue);
    const shareTitles = config.slack.allow_private || repo.visibility === "public";
    const added = (overdue.get(repo.owner) ?? []).slice(before).map((item) => (shareTitles ? item : { ...item, title: referenceOf(item.url) }));
    if (added.length > 0) slackItems.set(repo.owner, [...(slackItems.get(repo.owner) ?? []), ...added]);
    if (overdue.has(repo.owner) && !languages.has(repo.owner)) languages.set(repo.owner, config.language);
    result.reviewsReminded += await remindReviews(octokit, deps, installationId, repo, setup.setup, now);
  }
  await sendWeeklyDigest(deps, installationId, slackItems, languages, now);
  const digests = await reconcileDigests(octokit, deps, installationId, repositories, [...overdue.values()].flat());
  result.digestsWritten = digests.filter((d) => d.outcome === "created" || d.outcome === "updated").length;
  return result;
}

/**
 * At most one Slack digest of overdue follow-ups per organization and ISO week, across replicas.
 * Its language: the config of the first repository whose follow-ups are in it (an org usually sets
 * `language` once, in its `.github` config, so every repository agrees).
 */
async function sendWeeklyDigest(deps: ReminderDeps, installationId: number, overdue: Map<string, OverdueItem[]>, languages: Map<string, Language>, now: Date): Promise<void> {
  if (!deps.notify || !deps.coordinator) return;
  const week = isoWeek(now);
  for (const [owner, items] of overdue) {
    const key = `slack-digest:${installationId}:${owner.toLowerCase()}:${week}`;
    if (items.length === 0 || (await deps.coordinator.cacheGet<boolean>(key))) continue;
    await deps.coordinator.cacheSet(key, true, 8 * DAY);
    deps.notify.overdue(owner, items, languages.get(owner) ?? "en");
  }
}

function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return `${d.getUTCFullYear()}-W${Math.ceil(((d.getTime() - start) / DAY + 1) / 7)}`;
}

async function remindDrafts(octokit: Octokit, deps: ReminderDeps, installationId: number, repo: { owner: string; repo: string }, config: Config, now: Date): Promise<number> {
  const drafts = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, labels: `${config.label},${config.labels.incomplete}`, state: "open", per_page: 100 });
  let sent = 0;
  for (const draft of drafts) {
    if (draft.pull_request || now.getTime() - Date.parse(draft.created_at) < config.reminders.draft_after_days * DAY) continue;
    const ref = { ...repo, issue_number: draft.number };
    const key = issueKey(installationId, ref);
    const comment = await deps.comments.find(octokit, key, ref);
    const state = readState(comment?.body);
    const reminders = (state?.reminders ?? {}) as { draft?: string };
    if (!comment || !state || !reminderDue(reminders.draft, now, config.reminders.repeat_days)) continue;
    // Record first: a reminder recorded but not sent is better than one sent twice.
    const next: PostmortemState = { ...state, reminders: { ...reminders, draft: now.toISOString() } };
    const body = comment.body.replace(/<!-- postmortem-bot:state [\s\S]*? -->\s*$/, writeState(next));
    await deps.comments.write(octokit, key, ref, comment, body);
    const people = draft.assignees?.length ? draft.assignees.map((a) => a.login) : [draft.user?.login].filter((l): l is string => Boolean(l));
    const days = Math.floor((now.getTime() - Date.parse(draft.created_at)) / DAY);
    await octokit.rest.issues.createComment({ ...ref, body: messagesOf(reminderMessages, config.language).draft(people.map((p) => `@${p}`).join(" "), days, config.reminders.repeat_days) });
    sent++;
  }
  return sent;
}

async function remindOverdue(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  config: Config,
  now: Date,
  login: string,
  overdue: Map<string, OverdueItem[]>,
): Promise<number> {
  const followUps = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, labels: config.follow_ups.label, state: "open", per_page: 100 });
  const today = now.toISOString().slice(0, 10);
  let sent = 0;
  for (const followUp of followUps) {
    if (followUp.user?.login !== login || !readFollowUpMarker(followUp.body)) continue;
    const due = dueDateOf(followUp.body);
    if (!due || due >= today) continue;
    const list = overdue.get(repo.owner) ?? [];
    list.push({ title: followUp.title, url: followUp.html_url, due, owner: followUp.assignees?.map((a) => a.login).join(", ") || repo.repo });
    overdue.set(repo.owner, list);
    const ref = { ...repo, issue_number: followUp.number };
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...ref, per_page: 100 });
    const last = comments
      .filter((c) => c.user?.login === login && c.body?.includes(REMINDER_MARKER))
      .map((c) => c.body!.slice(c.body!.indexOf(REMINDER_MARKER) + REMINDER_MARKER.length).split(" ")[0]!)
      .sort()
      .at(-1);
    if (!reminderDue(last, now, config.reminders.repeat_days)) continue;
    const people = followUp.assignees?.map((a) => `@${a.login}`) ?? [];
    await octokit.rest.issues.createComment({ ...ref, body: `${messagesOf(reminderMessages, config.language).overdue(people.join(" "), due)}\n${REMINDER_MARKER}${now.toISOString()} -->` });
    sent++;
  }
  return sent;
}

/** Every installation of the app, swept one after another (Probot's throttling spaces the writes). */
export async function sweepAll(
  auth: (installationId?: number) => Promise<Octokit>,
  deps: ReminderDeps,
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void },
): Promise<SweepResult & { installations: number }> {
  const total = { installations: 0, repositories: 0, draftsReminded: 0, followUpsReminded: 0, reviewsReminded: 0, skipped: 0, digestsWritten: 0 };
  const appOctokit = await auth();
  const installations = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
  for (const installation of installations) {
    try {
      const octokit = await auth(installation.id);
      const repositories = (await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 })).map((r) => ({ owner: r.owner.login, repo: r.name, visibility: r.visibility ?? (r.private ? "private" : "public") }));
      const result = await sweepInstallation(octokit, deps, installation.id, repositories);
      total.installations++;
      total.repositories += result.repositories;
      total.draftsReminded += result.draftsReminded;
      total.followUpsReminded += result.followUpsReminded;
      total.reviewsReminded += result.reviewsReminded;
      total.skipped += result.skipped;
      total.digestsWritten += result.digestsWritten;
    } catch (error) {
      // One installation's failure (suspended, rate limited) does not stop the others.
      log.warn({ err: error, installation: installation.id }, "reminder sweep failed for an installation");
    }
  }
  log.info(total, "reminder sweep done");
  return total;
}

/** `1h`, `30m`, `90s`, `off`, or milliseconds; null when off. */
export function parseInterval(text: string | undefined, fallbackMs = 60 * 60 * 1000): number | null {
  if (text === undefined || text.trim() === "") return fallbackMs;
  if (text.trim() === "off") return null;
  const match = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`REMINDERS_INTERVAL ${JSON.stringify(text)} is not a duration such as 1h, 30m or off`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? "ms"]!;
  return Math.max(60_000, Number(match[1]) * unit);
}

/** `owner/repo#12` of a follow-up's `html_url`: what Slack shows instead of a title it may not carry. */
function referenceOf(url: string): string {
  const match = /\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(url);
  return match ? `${match[1]}/${match[2]}#${match[3]}` : url;
}
