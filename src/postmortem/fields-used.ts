import type { Config } from "../config/schema.js";
import type { ResolvedRoles, Role, RoleChoice } from "../form/roles.js";
import type { FormField } from "../form/template.js";
import { fieldName, formatList } from "../i18n/format.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { roles as rolesCatalog } from "../i18n/messages/roles.js";
import type { Metric, MetricName, Metrics } from "./metrics.js";

/** Which fields gave one metric of one postmortem. */
export type MetricBasis =
  | { metric: MetricName; kind: "computed"; from: FormField; to: FormField }
  | { metric: MetricName; kind: "window"; field: FormField }
  | { metric: MetricName; kind: "stated"; field: FormField }
  | { metric: MetricName; kind: "missing"; roles: Role[] };

const SPANS: Record<MetricName, { from: (ttrFrom: Config["metrics"]["ttr_from"]) => Role; to: Role; stated: Role }> = {
  TTD: { from: () => "started_at", to: "detected_at", stated: "time_to_detect" },
  TTR: { from: (ttrFrom) => (ttrFrom === "detected" ? "detected_at" : "started_at"), to: "recovered_at", stated: "time_to_recover" },
  TTM: { from: () => "started_at", to: "mitigated_at", stated: "time_to_mitigate" },
};

/** For each metric: the two fields it was computed from, the field that stated it, or the roles no field plays. */
export function metricBases(roles: ResolvedRoles, metrics: Metrics, ttrFrom: Config["metrics"]["ttr_from"]): MetricBasis[] {
  return [metrics.ttd, metrics.ttr, metrics.ttm].map((metric: Metric): MetricBasis => {
    const span = SPANS[metric.name];
    const from = roles.byRole[span.from(ttrFrom)];
    const to = roles.byRole[span.to];
    const stated = roles.byRole[span.stated].field;
    if (metric.stated && stated) return { metric: metric.name, kind: "stated", field: stated };
    if (from.field && to.field) {
      return from.field === to.field ? { metric: metric.name, kind: "window", field: from.field } : { metric: metric.name, kind: "computed", from: from.field, to: to.field };
    }
    if (stated) return { metric: metric.name, kind: "stated", field: stated };
    return { metric: metric.name, kind: "missing", roles: [from, to].filter((c) => !c.field).map((c) => c.role) };
  });
}

/** The status comment's "Fields used" section and the note for a stated value in the metrics table. */
export interface FieldsUsedView {
  lines: string[];
  statedNote: string;
}

/** Renders the fields each metric came from, so a wrong guess is visible and fixable with `fields:`. */
export function renderFieldsUsed(roles: ResolvedRoles, metrics: Metrics, ttrFrom: Config["metrics"]["ttr_from"], language: Language): FieldsUsedView {
  const m = messagesOf(rolesCatalog, language);
  const name = (field: FormField) => fieldName(field.label, language);
  const lines = [m.fieldsUsedHeading, ""];
  for (const basis of metricBases(roles, metrics, ttrFrom)) lines.push(`- ${basisLine(basis, language)}`);
  if (Object.values(roles.byRole).some((choice: RoleChoice) => choice.source === "inferred")) lines.push("", `<sub>${m.inferredNote}</sub>`);
  return { lines, statedNote: m.statedNote };

  function basisLine(basis: MetricBasis, lang: Language): string {
    switch (basis.kind) {
      case "computed":
        return m.computed(basis.metric, name(basis.to), name(basis.from));
      case "window":
        return m.computedFromWindow(basis.metric, name(basis.field));
      case "stated":
        return m.stated(basis.metric, name(basis.field));
      case "missing":
        return m.missing(basis.metric, formatList(basis.roles.map((r) => m.roleName(r)), lang, "conjunction"), formatList(basis.roles.map((r) => `\`fields.${r}\``), lang, "disjunction"));
    }
  }
}

/** Why a role has its field (or has none), as one phrase: for `init` and `lint`. */
export function explainChoice(choice: RoleChoice, language: Language): string {
  const m = messagesOf(rolesCatalog, language);
  const reason = choice.reason;
  switch (reason.kind) {
    case "config":
      return m.whyConfig(reason.id);
    case "config-missing":
      return m.whyConfigMissing(reason.id);
    case "config-off":
      return m.whyConfigOff;
    case "match":
      return m.whyMatch(reason.on, reason.synonym);
    case "window":
      return m.whyWindow(reason.id);
    case "not-found":
      return m.notFound;
  }
}

/** The roles TTR needs that no field plays; empty when TTR can be computed or is stated by a field. */
export function missingForTtr(roles: ResolvedRoles, ttrFrom: Config["metrics"]["ttr_from"]): Role[] {
  if (roles.byRole.time_to_recover.field) return [];
  const span = SPANS.TTR;
  return [span.from(ttrFrom), span.to].filter((role) => !roles.byRole[role].field);
}
