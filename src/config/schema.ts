import { DateTime } from "luxon";
import { z } from "zod";
import { LANGUAGES } from "../i18n/index.js";
import { setupMessages } from "../i18n/messages/setup.js";
import { isKnownZone } from "../postmortem/zones.js";

/**
 * `.github/postmortem.yml`. Every key has a default, so an org with no file gets
 * the whole lifecycle. The same schema is emitted as JSON Schema for editors
 * (`npm run schema` -> schema/postmortem.schema.json).
 */

/** The texts of this schema's own checks: English here; src/config/load.ts shows a problem in the config's language. */
const rule = setupMessages.byLanguage.en;

const labelName = z.string().trim().min(1).max(50);

const roleField = z
  .union([z.string().trim().min(1), z.literal(false)])
  .optional()
  .describe(
    "Id of the issue-form field that plays this role; false when the form has none. Absent: inferred from the form's ids and labels (docs/forms.md). A role whose field the form lacks is unused.",
  );

export const fieldsSchema = z
  .object({
    summary: roleField,
    severity: roleField,
    started_at: roleField,
    detected_at: roleField,
    mitigated_at: roleField,
    recovered_at: roleField,
    action_items: roleField,
    impact_window: roleField.describe("A field holding the impact window as one range (start and end); used for started_at and recovered_at when those have no field of their own."),
    time_to_detect: roleField.describe("A field stating the time to detect as a number of minutes (or a duration); gives TTD directly when no detected time is given."),
    time_to_mitigate: roleField.describe("A field stating the time to mitigate; gives TTM directly when no mitigated time is given."),
    time_to_recover: roleField.describe("A field stating the time to recover; gives TTR directly when no recovered time is given."),
    slos: roleField.describe("A field naming the SLOs the incident affected (names from `slos`, comma-separated); gives the error budget each consumed."),
    affected_share: roleField.describe("A field giving the share of requests or users affected (`38%`, `0.38`); 100% when absent or empty."),
    budget_spent: roleField.describe("A field stating the error budget spent (`46%`), shown beside the computed figure."),
  })
  .strict()
  .describe("Maps semantic roles onto the ids of your issue form's fields. Every key is optional: a role left out is inferred from the form (docs/forms.md), and `postmortem-bot init` shows what was inferred.");

const repoFullName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, rule.ruleRepository);

const teamSchema = z
  .object({
    repo: repoFullName.describe("Repository where this team's follow-ups are filed."),
    labels: z.array(z.string().trim().min(1)).default([]).describe("Labels added to this team's follow-ups."),
    assignees: z.array(z.string().trim().regex(/^@?[A-Za-z0-9-]+$/, rule.ruleLogin)).default([]).describe("Assigned to this team's follow-ups when the item names no person."),
    handles: z
      .array(z.string().trim().regex(/^@[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, rule.ruleTeamHandle))
      .default([])
      .describe("GitHub team handles (@org/team) that mean this team in an action item's owner."),
  })
  .strict();

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

export const FOLLOW_UP_TYPES = ["prevent", "detect", "mitigate", "process"] as const;

const followUpsSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe("File untracked action items as follow-up issues when a postmortem is published. When false, nothing is filed and no action item needs an owner."),
    publish_on: z
      .enum(["label", "close", "command"])
      .default("label")
      .describe("What publishes a postmortem: adding the published label, closing it as completed, or commenting `/postmortem publish`."),
    published_label: labelName.default("postmortem: published").describe("Label that publishes (publish_on: label) or marks a published postmortem."),
    actions_done_label: labelName.default("postmortem: actions done").describe("Set once every follow-up is closed."),
    label: labelName.default("postmortem follow-up").describe("Label on every follow-up issue the app files."),
    default_repo: repoFullName.optional().describe("Where items owned by a person (@user) are filed. Default: the postmortem's repository."),
    types: z.array(z.string().trim().min(1)).min(1).default([...FOLLOW_UP_TYPES]).describe("Allowed action item types (`type:`)."),
    allow_public_targets: z.boolean().default(false).describe("Allow filing follow-ups of a private postmortem into a public repository (only the item's text and a link are copied)."),
    close_postmortem_when_done: z.boolean().default(false).describe("Close the postmortem once every follow-up is closed."),
  })
  .strict();

const businessDays = z.number().int().min(1).max(260);

const levelSchema = z
  .object({
    name: z.string().trim().min(1).max(50).describe("The level as the form's severity options give it (SEV1, P1, …)."),
    definition: z.string().trim().min(1).max(300).describe("One line saying what incidents are at this level (\"all users cannot pay\")."),
    required_fields: z
      .array(z.string().trim().min(1))
      .default([])
      .describe("Form field ids (or role names such as recovered_at) that become required at this level."),
    follow_up_due_business_days: businessDays
      .optional()
      .describe("Follow-ups filed for an item without `due:` are due this many business days after publishing."),
    review_within_business_days: businessDays
      .optional()
      .describe("The postmortem is to be reviewed (published) within this many business days of recovery."),
  })
  .strict();

export type Level = z.output<typeof levelSchema>;

/** `30d`, `4w` or `720h`. */
export const SLO_WINDOW = /^([1-9]\d{0,3})\s*([hdw])$/;

const sloSchema = z
  .object({
    name: z.string().trim().min(1).max(100).describe("The SLO as a postmortem names it (\"checkout availability\")."),
    target: z
      .number()
      .gt(0, rule.rulePercentage)
      .lt(100, rule.rulePercentage)
      .describe("Target in percent, e.g. 99.9."),
    window: z
      .string()
      .trim()
      .regex(SLO_WINDOW, rule.ruleWindow)
      .refine((w) => !(windowHours(w) > 366 * 24), rule.ruleWindowMax)
      .describe("The SLO's rolling window: days (30d), weeks (4w) or hours (720h)."),
    description: z.string().trim().min(1).max(300).optional().describe("What the SLO measures."),
  })
  .strict();

export type Slo = z.output<typeof sloSchema>;

export function windowHours(window: string): number {
  const match = SLO_WINDOW.exec(window.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * { h: 1, d: 24, w: 24 * 7 }[match[2] as "h" | "d" | "w"];
}

/** Reports a repeated name at the repeat's own `name`, so the problem names its line. */
function uniqueNames(what: "level" | "SLO") {
  return (entries: readonly { name: string }[], ctx: z.RefinementCtx) => {
    const seen = new Map<string, number>();
    entries.forEach((entry, i) => {
      const first = seen.get(entry.name.toLowerCase());
      if (first === undefined) seen.set(entry.name.toLowerCase(), i);
      else ctx.addIssue({ code: "custom", path: [i, "name"], message: rule.ruleRepeats(what, entry.name, first + 1), params: { rule: "repeats", what, name: entry.name, entry: first + 1 } });
    });
  };
}

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, rule.ruleIsoDate)
  .refine((d) => DateTime.fromISO(d).isValid, rule.ruleRealDate);

export const configSchema = z
  .object({
    label: labelName
      .default("postmortem")
      .describe("The label that marks an issue as a postmortem. The app only works on issues that carry it."),
    labels: z
      .object({
        incomplete: labelName.default("postmortem: incomplete").describe("Set while the postmortem has problems."),
        ready: labelName.default("postmortem: ready").describe("Set once the postmortem passes every check."),
        evaluated_level: z
          .string()
          .min(1)
          .max(40)
          .regex(/^\S/, rule.ruleNoLeadingSpace)
          .default("evaluated: ")
          .describe("Prefix of the label `/postmortem level` sets (`evaluated: SEV2`), so issue lists and the report see the evaluated level."),
      })
      .strict()
      .prefault({})
      .describe("Names of the labels the app manages. The app creates them where missing."),
    template: z
      .string()
      .trim()
      .regex(/^[^/].*\.ya?ml$/, rule.ruleTemplatePath)
      .default(".github/ISSUE_TEMPLATE/postmortem.yml")
      .describe(
        "Path of the postmortem issue form. Read from the default branch of the repository, then of the org's .github repository, then the built-in form of the config's language (.github/ISSUE_TEMPLATE/postmortem-ja.yml for ja).",
      ),
    language: z
      .enum(LANGUAGES)
      .default("en")
      .describe("Language of everything the app writes: status comments, problems, labels' descriptions, the reading list, the metrics issue, command replies, Slack notices and the CLI ('en' or 'ja')."),
    fields: fieldsSchema.prefault({}),
    timezone: z
      .string()
      .trim()
      .refine(isKnownZone, rule.ruleZone)
      .default("UTC")
      .describe("Zone for timestamps written without one (IANA name, e.g. Asia/Tokyo)."),
    severities: z
      .array(z.string().trim().min(1))
      .min(1)
      .refine((levels) => new Set(levels.map((l) => l.toLowerCase())).size === levels.length, rule.ruleUniqueLevels)
      .optional()
      .describe(
        "Known severity levels, most severe first. A severity answer is known when it equals a level or starts with one followed by a space or punctuation (\"SEV1 - critical\"). Absent: the options of the form's severity dropdown, by their leading token (\"P1\" of \"P1 — Major\"), or SEV1–SEV4 when the severity field is free text.",
      ),
    metrics: z
      .object({
        ttr_from: z
          .enum(["started", "detected"])
          .default("started")
          .describe(
            "Where TTR starts: 'started' (impact start; GitLab, Rootly, FireHydrant) or 'detected' (Morgue, Datadog).",
          ),
        repo: repoFullName.optional().describe("Repository of the \"Postmortem metrics\" issue. Default: the postmortem's repository."),
        months: z.number().int().min(1).max(60).default(12).describe("How many months the metrics issue shows by month."),
        allow_public: z
          .boolean()
          .default(false)
          .describe("Let this repository's postmortems count in a metrics issue of a more visible repository (titles and problems of incomplete ones are shown there)."),
      })
      .strict()
      .prefault({}),
    levels: z
      .array(levelSchema)
      .min(1)
      .superRefine(uniqueNames("level"))
      .optional()
      .describe(
        "Incident levels, most severe first, each with its definition and rules. Default: one level per entry of `severities`, with the rules of the built-in levels of the same rank (see the README).",
      ),
    slos: z
      .array(sloSchema)
      .superRefine(uniqueNames("SLO"))
      .default([])
      .describe("Service level objectives a postmortem can name; the app computes the error budget each incident consumed."),
    holidays: z.array(isoDate).default([]).describe("Dates (YYYY-MM-DD, in `timezone`) that are not business days, besides Saturdays and Sundays."),
    reviews: z
      .object({
        require_over_budget: z
          .number()
          .gt(0)
          .max(10_000)
          .optional()
          .describe("Require a review for any incident that consumed more than this percentage of an SLO's error budget, whatever its level."),
        over_budget_within_business_days: businessDays
          .default(5)
          .describe("Review deadline, in business days after recovery, for an incident required to be reviewed by `require_over_budget` whose level sets none."),
      })
      .strict()
      .prefault({})
      .describe("Postmortem reviews: deadlines come from the level (`review_within_business_days`) or from the error budget consumed."),
    slack: z
      .object({
        allow_private: z
          .boolean()
          .default(false)
          .describe("Send titles of this repository's postmortems to Slack (SLACK_WEBHOOK_URL) even when it is private or internal; otherwise only the reference and link."),
      })
      .strict()
      .prefault({})
      .describe("What Slack notices may carry from this repository."),
    reminders: z
      .object({
        enabled: z.boolean().default(true).describe("Send reminders for stalled drafts and overdue follow-ups."),
        draft_after_days: z.number().int().min(1).max(365).default(3).describe("Remind the assignees (or the author) of a postmortem still incomplete this many days after it was opened."),
        repeat_days: z.number().int().min(1).max(365).default(7).describe("Do not repeat a reminder within this many days."),
      })
      .strict()
      .prefault({})
      .describe("Nudges for stalled drafts and overdue follow-ups (the sweep runs every REMINDERS_INTERVAL, default 1h)."),
    reading_list: z
      .object({
        label: labelName.default("recommended").describe("The label that recommends a postmortem for the reading list."),
        reasons: z
          .record(z.string().regex(/^[a-z0-9-]+$/, rule.ruleReasonKey), z.string().trim().min(1))
          .default({
            lessons: "Holds many lessons",
            architecture: "Helps to understand the current architecture",
            response: "A reference for how to act during an incident",
          })
          .describe("Reasons to recommend: key -> description. Each becomes a label `<label>: <key>`."),
        repo: repoFullName.optional().describe("Repository of the reading-list issue. Default: the postmortem's repository."),
        curators: z
          .array(z.string().trim().regex(/^@?[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/, rule.ruleCurator))
          .default([])
          .describe("Who may recommend (logins or org/team slugs). Empty: anyone who can label."),
        session_size: z.number().int().min(1).max(50).default(8).describe("How many postmortems `/postmortem reading-session` hands out."),
        allow_public: z
          .boolean()
          .default(false)
          .describe("Let this repository's recommended postmortems (title, summary, note) appear in a reading list of a more visible repository."),
      })
      .strict()
      .prefault({})
      .describe("The curated reading list of recommended postmortems."),
    similar: z
      .object({
        enabled: z.boolean().default(true).describe("List earlier postmortems like this one in the status comment when it becomes ready (and on `/postmortem similar`)."),
        limit: z.number().int().min(1).max(10).default(3).describe("How many similar postmortems the status comment lists."),
      })
      .strict()
      .prefault({})
      .describe("Similar past postmortems: a repository is only shown postmortems of repositories at least as visible as itself (never a private one in a public repository)."),
    sharing_meeting: z
      .object({
        cadence: z.enum(["weekly", "biweekly", "monthly"]).default("weekly").describe("How often the meeting is: every week, every other week (even ISO weeks), or the first such weekday of each month."),
        weekday: z.enum(WEEKDAYS).default("monday").describe("The meeting's weekday, in the config's timezone."),
        repo: repoFullName.optional().describe("Repository of the digest issues (same organization). Default: this repository."),
      })
      .strict()
      .optional()
      .describe("Postmortem sharing meetings: the sweep opens one digest issue per meeting (off unless set)."),
    pull_requests: z
      .object({
        enabled: z.boolean().default(false).describe("Comment on pull requests of this repository whose changed files touch paths named by postmortems, with their open follow-ups here."),
        max_files: z.number().int().min(1).max(3000).default(300).describe("Changed files read per pull request (100 per API call)."),
      })
      .strict()
      .prefault({})
      .describe("Incident-aware pull requests (off by default; needs the pull_requests permission)."),
    teams: z
      .record(z.string().regex(/^[A-Za-z0-9_.-]+$/, rule.ruleTeamKey), teamSchema)
      .default({})
      .describe("Teams that own action items: key -> repository (and labels, assignees, @org/team handles)."),
    follow_ups: followUpsSchema.prefault({}).describe("Filing action items as follow-up issues."),
  })
  .strict();

export type Team = z.output<typeof teamSchema>;

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type FieldRole = keyof Config["fields"];

export const defaultConfig: Config = configSchema.parse({});

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema.extend({ _extends: extendsSchema }), { io: "input", target: "draft-7" });
  return {
    ...schema,
    $id: "https://github.com/postmortem-bot/postmortem-bot/schema/postmortem.schema.json",
    title: "postmortem-bot configuration (.github/postmortem.yml)",
  };
}

const extendsSchema = z
  .string()
  .optional()
  .describe("Inherit from another repository's file: 'repo', 'owner/repo' or 'owner/repo:path/to/file.yml'.");
