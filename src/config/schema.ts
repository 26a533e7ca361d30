import { z } from "zod";
import { isKnownZone } from "../postmortem/zones.js";

/**
 * `.github/postmortem.yml`. Every key has a default, so an org with no file gets
 * the whole lifecycle. The same schema is emitted as JSON Schema for editors
 * (`npm run schema` -> schema/postmortem.schema.json).
 */

const labelName = z.string().trim().min(1).max(50);

const roleField = z
  .string()
  .trim()
  .min(1)
  .describe("Id of the issue-form field that plays this role. A role whose field the form lacks is unused.");

export const fieldsSchema = z
  .object({
    summary: roleField.default("summary"),
    severity: roleField.default("severity"),
    started_at: roleField.default("impact-started"),
    detected_at: roleField.default("detected"),
    mitigated_at: roleField.default("mitigated"),
    recovered_at: roleField.default("recovered"),
    action_items: roleField.default("action-items"),
  })
  .strict()
  .describe("Maps semantic roles onto the ids of your issue form's fields.");

export const configSchema = z
  .object({
    label: labelName
      .default("postmortem")
      .describe("The label that marks an issue as a postmortem. The app only works on issues that carry it."),
    labels: z
      .object({
        incomplete: labelName.default("postmortem: incomplete").describe("Set while the postmortem has problems."),
        ready: labelName.default("postmortem: ready").describe("Set once the postmortem passes every check."),
      })
      .strict()
      .prefault({})
      .describe("Names of the labels the app manages. The app creates them where missing."),
    template: z
      .string()
      .trim()
      .regex(/^[^/].*\.ya?ml$/, "must be a repository path to a .yml or .yaml file, without a leading slash")
      .default(".github/ISSUE_TEMPLATE/postmortem.yml")
      .describe(
        "Path of the postmortem issue form. Read from the default branch of the repository, then of the org's .github repository, then the built-in form.",
      ),
    fields: fieldsSchema.prefault({}),
    timezone: z
      .string()
      .trim()
      .refine(isKnownZone, "must be an IANA time zone such as Asia/Tokyo or UTC")
      .default("UTC")
      .describe("Zone for timestamps written without one (IANA name, e.g. Asia/Tokyo)."),
    severities: z
      .array(z.string().trim().min(1))
      .min(1)
      .refine((levels) => new Set(levels.map((l) => l.toLowerCase())).size === levels.length, "must not repeat a level")
      .default(["SEV1", "SEV2", "SEV3", "SEV4"])
      .describe(
        "Known severity levels, most severe first. A severity answer is known when it equals a level or starts with one followed by a space or punctuation (\"SEV1 - critical\").",
      ),
    metrics: z
      .object({
        ttr_from: z
          .enum(["started", "detected"])
          .default("started")
          .describe(
            "Where TTR starts: 'started' (impact start; GitLab, Rootly, FireHydrant) or 'detected' (Morgue, Datadog).",
          ),
      })
      .strict()
      .prefault({}),
  })
  .strict();

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
