import type { FileProblem } from "../form/yaml-source.js";
import { progress, statusWord, type FollowUpState } from "./follow-ups.js";
import type { FieldsUsedView } from "./fields-used.js";
import { formatDuration, type Metric, type Metrics } from "./metrics.js";
import { z } from "zod";
import { messagesOf, type Language } from "../i18n/index.js";
import { security } from "../i18n/messages/security.js";
import { statusMessages } from "../i18n/messages/status.js";
import { hiddenJson, inert, lastMarkerAtLineStart } from "./text.js";
import { renderSimilarSection, type SimilarState } from "./similarity.js";
import type { Problem } from "./validate.js";

/** Finds the app's one status comment among the comments. */
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

/** The similar past postmortems kept in the state, in the config's language. */
export interface SimilarView {
  state: SimilarState;
  language: Language;
}

/** The follow-ups part of the status comment: what was filed, and anything that needs a person. */
export interface FollowUpView {
  state: FollowUpState;
  /** Sentences for people: a refused publish, an item that could not be filed and why. */
  notices: string[];
}

export type CheckOutcome =
  | { status: "ready" | "incomplete"; problems: Problem[]; metrics: Metrics; zone: string; followUps?: FollowUpView; fieldsUsed?: FieldsUsedView; language?: Language; similar?: SimilarView; levelSection?: string[] }
  | { status: "error"; fileProblems: FileProblem[]; language?: Language };

export function isStatusComment(body: string | undefined | null): boolean {
  return typeof body === "string" && body.startsWith(STATUS_MARKER);
}

/** The full text of the status comment, in the config's language; identical inputs give identical text, so an unchanged check writes nothing. */
export function renderStatusComment(outcome: CheckOutcome, state: PostmortemState): string {
  const language = outcome.language ?? "en";
  const m = messagesOf(statusMessages, language);
  const parts = [STATUS_MARKER];
  if (outcome.status === "error") {
    parts.push(m.errorHeading, "", m.errorIntro, "", ...outcome.fileProblems.map((p) => m.fileProblem(p.file, p.line, inert(p.message))));
  } else {
    if (outcome.status === "ready") {
      parts.push(m.readyHeading, "", m.readyText);
    } else {
      parts.push(
        m.incompleteHeading(outcome.problems.length),
        "",
        m.incompleteIntro,
        "",
        ...listWithinLimit(outcome.problems.map((p) => `- ${p.message}`), 50, 30_000, (n) => m.moreProblems(n)),
      );
    }
    parts.push("", ...renderMetrics(outcome.metrics, outcome.zone, language, outcome.fieldsUsed !== undefined));
    if (outcome.fieldsUsed) parts.push("", ...outcome.fieldsUsed.lines);
    // The level's rules and the error budget: rendered by level-status.ts.
    if (outcome.levelSection && outcome.levelSection.length > 0) parts.push("", ...outcome.levelSection);
    const followUps = outcome.followUps ? renderFollowUps(outcome.followUps, language) : [];
    if (followUps.length > 0) parts.push("", ...followUps);
    if (outcome.similar) parts.push("", ...renderSimilarSection(outcome.similar.state, outcome.similar.language));
  }
  parts.push("", writeState(state));
  return parts.join("\n");
}

/**
 * Lists within budgets that together keep the comment under GitHub's 65,536
 * characters: problems 30,000, follow-ups 12,000, notices 8,000, the state the rest.
 */
function listWithinLimit(lines: string[], maxLines: number, maxChars: number, more: (count: number) => string): string[] {
  const shown: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (shown.length >= maxLines || size + line.length > maxChars) break;
    shown.push(line);
    size += line.length + 1;
  }
  if (shown.length < lines.length) shown.push(more(lines.length - shown.length));
  return shown;
}

/** The metric table; a stated value is marked as such (with the fields-used section, which names the field it came from). */
function renderMetrics(metrics: Metrics, zone: string, language: Language, markStated: boolean): string[] {
  const m = messagesOf(statusMessages, language);
  const value = (metric: Metric) => {
    if (metric.seconds === null) return m.metricUnavailable(metric.unavailable ?? "");
    const duration = formatDuration(metric.seconds, language);
    if (!metric.stated) return duration;
    return markStated ? m.statedValue(duration) : `${duration} `;
  };
  const row = (metric: Metric) => `| ${metric.name} | ${value(metric)} | ${metric.definition} |`;
  return [m.metricsHeading, "", m.metricsHeader, "| --- | --- | --- |", row(metrics.ttd), row(metrics.ttr), row(metrics.ttm), "", m.zoneNote(zone)];
}

function renderFollowUps(view: FollowUpView, language: Language): string[] {
  const texts = messagesOf(security, language);
  const m = messagesOf(statusMessages, language);
  const lines: string[] = [];
  const records = Object.values(view.state.items);
  if (view.state.published || records.length > 0) {
    const p = progress(view.state);
    lines.push(m.followUpsHeading(p.done, p.total));
    if (p.notPlanned > 0 || p.open > 0 || p.missing > 0) lines.push("", m.notDone(p));
    lines.push("");
    const listed = records.map((record) => {
      const mark = record.missing ? "- ⚠️" : record.state === "closed" ? "- [x]" : "- [ ]";
      const extra = record.missing ? m.missingFollowUp(record.missing) : "";
      return m.followUpLine(mark, record.ref, inert(record.text), statusWord(record, language), extra);
    });
    lines.push(...listWithinLimit(listed, 100, 12_000, (n) => `- ${texts.followUpsNotListed(n)}`));
    if (records.length === 0) lines.push(m.noActionItems);
  }
  if (view.notices.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push(...listWithinLimit(view.notices.map((n) => `> [!WARNING]\n> ${n}`), 20, 8_000, (n) => `> [!NOTE]\n> ${texts.noticesNotListed(n)}`));
  }
  return lines;
}

export function writeState(state: PostmortemState): string {
  // `--` would end the HTML comment early; inside JSON it can only occur in strings.
  return `${STATE_PREFIX}${hiddenJson(state)}${STATE_SUFFIX}`;
}

/** The shape a remembered state must have; anything else is treated as absent and rebuilt. */
const stateShape = z.looseObject({ v: z.literal(1), status: z.enum(["ready", "incomplete", "error"]) });

export function readState(body: string | null | undefined): PostmortemState | null {
  if (!body) return null;
  const payload = lastMarkerAtLineStart(body, STATE_PREFIX);
  if (payload === null) return null;
  try {
    const state = stateShape.safeParse(JSON.parse(payload));
    if (state.success) return state.data as PostmortemState;
  } catch {
    // A hand-edited state is treated as absent and rebuilt.
  }
  return null;
}
