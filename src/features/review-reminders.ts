import type { Setup } from "../config/setup.js";
import { formatDate } from "../i18n/format.js";
import { messagesOf } from "../i18n/index.js";
import { reminderMessages } from "../i18n/messages/reminders.js";
import type { Octokit } from "../github/octokit.js";
import { issueKey } from "../github/status-comment.js";
import { readFollowUps } from "../postmortem/follow-ups.js";
import { addBusinessDays, calendarOf } from "../postmortem/business-days.js";
import { incidentLevels, readLevelEvaluation } from "../postmortem/levels.js";
import { readState, writeState, type PostmortemState } from "../postmortem/status.js";
import { validatePostmortem } from "../postmortem/validate.js";
import { reminderDue, type ReminderDeps } from "./reminders.js";

/**
 * Postmortems past their review deadline (the level's, or the error budget's:
 * see levels.ts) and not yet published get one reminder, addressed to the
 * assignees (or the author), repeated at most once per `reminders.repeat_days`.
 * The deadline is worked out from the body the issue list already gives; the
 * status comment is read only for postmortems past it, to record the reminder.
 */
export async function remindReviews(
  octokit: Octokit,
  deps: Pick<ReminderDeps, "comments">,
  installationId: number,
  repo: { owner: string; repo: string },
  setup: Setup,
  now: Date,
): Promise<number> {
  const { config, form } = setup;
  const m = messagesOf(reminderMessages, config.language);
  const published = config.follow_ups.published_label.toLowerCase();
  const windows = [
    ...incidentLevels(setup).levels.flatMap((l) => (l.review_within_business_days === undefined ? [] : [l.review_within_business_days])),
    ...(config.reviews.require_over_budget === undefined ? [] : [config.reviews.over_budget_within_business_days]),
  ];
  if (windows.length === 0) return 0;
  const soonest = Math.min(...windows);
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, labels: config.label, state: "open", per_page: 100 });
  let sent = 0;
  for (const issue of open) {
    if (issue.pull_request || issue.labels.some((l) => (typeof l === "string" ? l : (l.name ?? "")).toLowerCase() === published)) continue;
    const declared = validatePostmortem({ body: issue.body ?? "", form, config, now, home: repo });
    const recoveredAt = declared.timeline.recoveredAt;
    // The status comment (evaluated level, last reminder) is read only once the soonest deadline any level gives has passed.
    if (recoveredAt === undefined || now.getTime() <= addBusinessDays(recoveredAt, soonest, calendarOf(config)).endsAt) continue;
    const ref = { ...repo, issue_number: issue.number };
    const key = issueKey(installationId, ref);
    const comment = await deps.comments.find(octokit, key, ref);
    const state = readState(comment?.body);
    if (!comment || !state || readFollowUps(state).published) continue;
    const evaluation = readLevelEvaluation(state);
    const review = (evaluation ? validatePostmortem({ body: issue.body ?? "", form, config, now, home: repo, evaluation }) : declared).level.review;
    const reminders = (state.reminders ?? {}) as { review?: string };
    if (!review || now.getTime() <= review.endsAt || !reminderDue(reminders.review, now, config.reminders.repeat_days)) continue;
    // Record first: a reminder recorded but not sent is better than one sent twice.
    const next: PostmortemState = { ...state, reminders: { ...reminders, review: now.toISOString() } };
    await deps.comments.write(octokit, key, ref, comment, comment.body.replace(/<!-- postmortem-bot:state [\s\S]*? -->\s*$/, writeState(next)));
    const people = issue.assignees?.length ? issue.assignees.map((a) => a.login) : [issue.user?.login].filter((l): l is string => Boolean(l));
    await octokit.rest.issues.createComment({
      ...ref,
      body: m.review(people.map((p) => `@${p}`).join(" "), formatDate(review.endsAt, config.timezone, config.language), config.reminders.repeat_days),
    });
    sent++;
  }
  return sent;
}
