import type { FileProblem } from "../form/yaml-source.js";
import { progress, statusWord, type FollowUpState } from "./follow-ups.js";
import type { FieldsUsedView } from "./fields-used.js";
import { formatDuration, type Metric, type Metrics } from "./metrics.js";
import { z } from "zod";
import { messagesOf, type Language } from "../i18n/index.js";
import { security } from "../i18n/messages/security.js";
import { hiddenJson, inert, lastMarkerAtLineStart } from "./text.js";
import { renderSimilarSection, type SimilarState } from "./similarity.js";
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
      ...outcome.fileProblems.map((p) => `- \`${p.file}\`${p.line === null ? "" : ` line ${p.line}`}: ${inert(p.message)}`),
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
        ...listWithinLimit(outcome.problems.map((p) => `- ${p.message}`), 50, 30_000, (n) => `- …and ${n} more. Fix these first; the rest show up here after the next edit.`),
      );
    }
    parts.push("", ...renderMetrics(outcome.metrics, outcome.zone, outcome.fieldsUsed?.statedNote));
    if (outcome.fieldsUsed) parts.push("", ...outcome.fieldsUsed.lines);
    // The level's rules and the error budget: rendered by level-status.ts.
    if (outcome.levelSection && outcome.levelSection.length > 0) parts.push("", ...outcome.levelSection);
    const followUps = outcome.followUps ? renderFollowUps(outcome.followUps, outcome.language ?? "en") : [];
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

function renderMetrics(metrics: Metrics, zone: string, statedNote = ""): string[] {
  const row = (m: Metric) => `| ${m.name} | ${m.seconds === null ? `— (${m.unavailable})` : `${formatDuration(m.seconds)}${m.stated ? ` ${statedNote}` : ""}`} | ${m.definition} |`;
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

function renderFollowUps(view: FollowUpView, language: Language): string[] {
  const texts = messagesOf(security, language);
  const lines: string[] = [];
  const records = Object.values(view.state.items);
  if (view.state.published || records.length > 0) {
    const p = progress(view.state);
    lines.push(`#### Follow-ups: ${p.done} of ${p.total} done`);
    const apart = [p.notPlanned > 0 ? `${p.notPlanned} closed as not planned` : "", p.open > 0 ? `${p.open} open` : "", p.missing > 0 ? `${p.missing} missing` : ""].filter(Boolean);
    if (apart.length > 0) lines.push("", `${apart.join(", ")}.`);
    lines.push("");
    const listed = records.map((record) => {
      const mark = record.missing ? "- ⚠️" : record.state === "closed" ? "- [x]" : "- [ ]";
      const word = statusWord(record);
      const extra = record.missing ? `: it was ${record.missing}; remove its link from the postmortem to file the item again` : "";
      return `${mark} ${record.ref} — ${inert(record.text)} (${word}${extra})`;
    });
    lines.push(...listWithinLimit(listed, 100, 12_000, (n) => `- ${texts.followUpsNotListed(n)}`));
    if (records.length === 0) lines.push("No action items to file.");
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
