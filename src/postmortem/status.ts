import type { FileProblem } from "../form/yaml-source.js";
import { progress, statusWord, type FollowUpState } from "./follow-ups.js";
import { formatDuration, type Metric, type Metrics } from "./metrics.js";
import { neutralizeMentions } from "./text.js";
import type { Problem } from "./validate.js";

/** Finds the app's one status comment among the issue's comments. */
export const STATUS_MARKER = "<!-- postmortem-bot:status -->";
const STATE_PREFIX = "<!-- postmortem-bot:state ";
const STATE_SUFFIX = " -->";

export type CheckStatus = "ready" | "incomplete" | "error";

/** The app's state for one postmortem, kept as hidden JSON in its status comment. */
export interface PostmortemState {
  v: 1;
  status: CheckStatus;
  [key: string]: unknown;
}

/** The follow-ups part of the status comment: what was filed, and anything that needs a person. */
export interface FollowUpView {
  state: FollowUpState;
  /** Sentences for people: a refused publish, an item that could not be filed and why. */
  notices: string[];
}

export type CheckOutcome =
  | { status: "ready" | "incomplete"; problems: Problem[]; metrics: Metrics; zone: string; followUps?: FollowUpView; levelSection?: string[] }
  | { status: "error"; fileProblems: FileProblem[] };

export function isStatusComment(body: string | undefined | null): boolean {
  return typeof body === "string" && body.startsWith(STATUS_MARKER);
}

/** The full text of the status comment; identical inputs give identical text, so an unchanged check writes nothing. */
export function renderStatusComment(outcome: CheckOutcome, state: PostmortemState): string {
  const parts = [STATUS_MARKER];
  if (outcome.status === "error") {
    parts.push(
      "### Postmortem check: ⚠️ cannot check this postmortem",
      "",
      "The postmortem setup of this repository is broken, so nothing was checked. Fix the file below; the check runs again on the next edit.",
      "",
      ...outcome.fileProblems.map((p) => `- \`${p.file}\`${p.line === null ? "" : ` line ${p.line}`}: ${neutralizeMentions(p.message)}`),
    );
  } else {
    if (outcome.status === "ready") {
      parts.push("### Postmortem check: ✅ ready", "", "Every field is complete and consistent.");
    } else {
      const count = outcome.problems.length;
      parts.push(
        `### Postmortem check: ❌ ${count} ${count === 1 ? "problem" : "problems"} to fix`,
        "",
        "Edit the issue to fix these; this comment updates itself.",
        "",
        ...listWithinLimit(outcome.problems.map((p) => `- ${p.message}`)),
      );
    }
    parts.push("", ...renderMetrics(outcome.metrics, outcome.zone));
    // The level's rules and the error budget: rendered by level-status.ts.
    if (outcome.levelSection && outcome.levelSection.length > 0) parts.push("", ...outcome.levelSection);
    const followUps = outcome.followUps ? renderFollowUps(outcome.followUps) : [];
    if (followUps.length > 0) parts.push("", ...followUps);
  }
  parts.push("", writeState(state));
  return parts.join("\n");
}

/** At most 50 problems, and never enough text to pass GitHub's 65,536-character comment limit. */
function listWithinLimit(lines: string[], maxLines = 50, maxChars = 40_000): string[] {
  const shown: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (shown.length >= maxLines || size + line.length > maxChars) break;
    shown.push(line);
    size += line.length + 1;
  }
  if (shown.length < lines.length) shown.push(`- …and ${lines.length - shown.length} more. Fix these first; the rest show up here after the next edit.`);
  return shown;
}

function renderMetrics(metrics: Metrics, zone: string): string[] {
  const row = (m: Metric) => `| ${m.name} | ${m.seconds === null ? `— (${m.unavailable})` : formatDuration(m.seconds)} | ${m.definition} |`;
  return [
    "#### Metrics",
    "",
    "| Metric | Value | Definition |",
    "| --- | --- | --- |",
    row(metrics.ttd),
    row(metrics.ttr),
    row(metrics.ttm),
    "",
    `<sub>Times written without a zone are read in ${zone}.</sub>`,
  ];
}

function renderFollowUps(view: FollowUpView): string[] {
  const lines: string[] = [];
  const records = Object.values(view.state.items);
  if (view.state.published || records.length > 0) {
    const p = progress(view.state);
    lines.push(`#### Follow-ups: ${p.done} of ${p.total} done`);
    const apart = [p.notPlanned > 0 ? `${p.notPlanned} closed as not planned` : "", p.open > 0 ? `${p.open} open` : "", p.missing > 0 ? `${p.missing} missing` : ""].filter(Boolean);
    if (apart.length > 0) lines.push("", `${apart.join(", ")}.`);
    lines.push("");
    for (const record of records) {
      const mark = record.missing ? "- ⚠️" : record.state === "closed" ? "- [x]" : "- [ ]";
      const word = statusWord(record);
      const extra = record.missing ? `: it was ${record.missing}; remove its link from the postmortem to file the item again` : "";
      lines.push(`${mark} ${record.ref} — ${neutralizeMentions(record.text)} (${word}${extra})`);
    }
    if (records.length === 0) lines.push("No action items to file.");
  }
  if (view.notices.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push(...view.notices.map((n) => `> [!WARNING]\n> ${n}`));
  }
  return lines;
}

export function writeState(state: PostmortemState): string {
  // `--` would end the HTML comment early; inside JSON it can only occur in strings.
  return `${STATE_PREFIX}${JSON.stringify(state).replace(/--/g, "-\\u002d")}${STATE_SUFFIX}`;
}

export function readState(body: string | null | undefined): PostmortemState | null {
  if (!body) return null;
  const start = body.lastIndexOf(STATE_PREFIX);
  if (start < 0) return null;
  const end = body.indexOf(STATE_SUFFIX, start + STATE_PREFIX.length);
  if (end < 0) return null;
  try {
    const state: unknown = JSON.parse(body.slice(start + STATE_PREFIX.length, end));
    if (typeof state === "object" && state !== null && (state as { v?: unknown }).v === 1) return state as PostmortemState;
  } catch {
    // A hand-edited state is treated as absent and rebuilt.
  }
  return null;
}
