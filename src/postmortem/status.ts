import type { FileProblem } from "../form/yaml-source.js";
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

export type CheckOutcome =
  | { status: "ready" | "incomplete"; problems: Problem[]; metrics: Metrics; zone: string }
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
        ...outcome.problems.map((p) => `- ${p.message}`),
      );
    }
    parts.push("", ...renderMetrics(outcome.metrics, outcome.zone));
  }
  parts.push("", writeState(state));
  return parts.join("\n");
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
