import type { Config } from "../config/schema.js";
import type { FieldType, FormField, FormSchema } from "./template.js";

/**
 * Which field of an org's own form plays each role, without a `fields:` map.
 * Pure and deterministic: every role is matched against the synonym table
 * below (ids, labels, then descriptions), the best candidates win in one
 * greedy pass, and every choice keeps the reason it was made, so `init`,
 * `lint` and the status comment can show a wrong guess and how to fix it.
 */

export const ROLES = [
  "summary",
  "severity",
  "started_at",
  "detected_at",
  "mitigated_at",
  "recovered_at",
  "action_items",
  "impact_window",
  "time_to_detect",
  "time_to_mitigate",
  "time_to_recover",
  "slos",
  "affected_share",
  "budget_spent",
] as const;
export type Role = (typeof ROLES)[number];

export interface RoleSynonyms {
  /** Field types that can play the role (a textarea "Detection" is prose, not a time). */
  types: readonly FieldType[];
  /** Whole words or phrases, matched on word boundaries after ids' `-`/`_` become spaces. */
  en: readonly string[];
  /** Matched as substrings (Japanese has no spaces between words). */
  ja: readonly string[];
}

/** The synonym table, documented in docs/forms.md (keep both in step). */
export const ROLE_SYNONYMS: Readonly<Record<Role, RoleSynonyms>> = {
  summary: {
    types: ["textarea", "input"],
    en: ["summary", "incident summary", "executive summary", "tl dr", "tldr", "overview", "what happened", "description", "incident description"],
    ja: ["概要", "サマリー", "サマリ", "要約", "インシデント詳細", "障害内容", "事象"],
  },
  severity: {
    types: ["dropdown", "input"],
    en: ["severity", "sev", "severity level", "priority", "incident priority", "impact level", "incident level"],
    ja: ["重大度", "影響度", "深刻度", "緊急度", "重要度", "優先度", "障害レベル", "重大度レベル"],
  },
  started_at: {
    types: ["input"],
    en: ["impact started", "impact start", "start of impact", "impact began", "started", "started at", "start", "start time", "began", "incident start", "incident started", "occurred", "occurred at", "date of the incident", "incident date"],
    ja: ["発生日時", "発生時刻", "発生時間", "影響開始", "開始日時", "開始時刻", "障害発生"],
  },
  detected_at: {
    types: ["input"],
    en: ["detected", "detected at", "detection time", "time of detection", "noticed", "noticed at", "discovered", "discovered at", "alerted", "alerted at", "reported at"],
    ja: ["検知", "検知日時", "検知時刻", "検出日時", "検出", "発覚", "覚知"],
  },
  mitigated_at: {
    types: ["input"],
    en: ["mitigated", "mitigated at", "mitigation time", "time of mitigation", "workaround applied"],
    ja: ["暫定復旧", "暫定復旧日時", "緩和", "暫定対応日時", "暫定対応時刻"],
  },
  recovered_at: {
    types: ["input"],
    en: ["recovered", "recovered at", "recovery time", "resolved", "resolved at", "fixed", "fixed at", "impact ended", "impact end", "end of impact", "ended", "ended at", "end time", "restored", "restored at", "all clear"],
    ja: ["復旧", "復旧日時", "復旧時刻", "解消", "解消日時", "収束", "影響終了", "終了日時"],
  },
  action_items: {
    types: ["textarea"],
    en: ["action items", "action item", "actions", "follow ups", "follow up", "followups", "follow up actions", "next steps", "corrective actions", "remediation items", "preventive actions", "todo", "todos"],
    ja: ["再発防止策", "再発防止", "アクションアイテム", "対応策", "改善策", "恒久対応", "今後の対応", "改善アクション"],
  },
  impact_window: {
    types: ["input"],
    en: ["impact window", "incident window", "outage window", "time window", "time range", "impact period", "incident period", "date and duration", "start and end", "start end"],
    ja: ["発生期間", "影響期間", "障害期間", "影響時間帯", "期間"],
  },
  time_to_detect: {
    types: ["input"],
    en: ["time to detect", "time to detection", "ttd", "minutes to detect", "to the first signal", "to first signal", "detection delay", "minutes until detected"],
    ja: ["検知までの時間", "検知までの分数", "検知まで"],
  },
  time_to_mitigate: {
    types: ["input"],
    en: ["time to mitigate", "time to mitigation", "ttm", "minutes to mitigate"],
    ja: ["緩和までの時間", "暫定復旧までの時間", "暫定復旧まで"],
  },
  time_to_recover: {
    types: ["input"],
    en: ["time to recover", "time to recovery", "time to resolve", "time to resolution", "ttr", "minutes to recover", "minutes to resolve"],
    ja: ["復旧までの時間", "復旧まで"],
  },
  // Not textareas: prose such as an Impact section that mentions "the SLO" must not become the list of SLOs.
  slos: {
    types: ["input", "dropdown"],
    en: ["affected slos", "affected slo", "slos affected", "slos", "slo", "service level objectives", "affected service level objectives"],
    ja: ["影響を受けたslo", "対象slo", "影響slo"],
  },
  affected_share: {
    types: ["input"],
    en: ["affected share", "share affected", "share of requests affected", "share of users affected", "share of requests or users affected", "impact share", "affected ratio"],
    ja: ["影響範囲の割合", "影響割合", "影響率"],
  },
  budget_spent: {
    types: ["input"],
    en: ["budget spent", "error budget spent", "error budget consumed", "budget consumed", "error budget used"],
    ja: ["消費したエラーバジェット", "エラーバジェット消費量", "エラーバジェット消費"],
  },
};

/** Words that make a field a duration ("Minutes from impact starting to …"), never a point in time. */
const DURATION_MARKERS = { en: ["minutes", "mins", "hours", "how long", "time to", "duration", "分"], ja: ["所要時間", "までの時間", "分数", "何分"] };
const TIME_ROLES: ReadonlySet<Role> = new Set(["started_at", "detected_at", "mitigated_at", "recovered_at"]);

export type RoleSource = "config" | "inferred" | "window" | "none";

/** Why a role has its field, in data: the catalogs turn it into sentences. */
export type RoleReason =
  | { kind: "config"; id: string }
  | { kind: "config-missing"; id: string }
  | { kind: "config-off" }
  | { kind: "match"; on: "id" | "label" | "description"; synonym: string }
  | { kind: "window"; id: string }
  | { kind: "not-found" };

export interface RoleChoice {
  role: Role;
  /** The field that plays the role; null when none does. */
  field: FormField | null;
  source: RoleSource;
  reason: RoleReason;
}

export interface ResolvedRoles {
  byRole: Readonly<Record<Role, RoleChoice>>;
  /** Severity levels for this setup, most severe first (see levelsOf). */
  levels: readonly string[];
  /** Where the levels come from. */
  levelsFrom: "config" | "form" | "default";
}

export const DEFAULT_LEVELS: readonly string[] = ["SEV1", "SEV2", "SEV3", "SEV4"];

/** Forms with more fields than this are matched on their first fields only (GitHub itself renders a few dozen). */
export const MAX_FIELDS_MATCHED = 200;

const cache = new WeakMap<FormSchema, WeakMap<Config, ResolvedRoles>>();

/** The roles of a setup, computed once per form and config object (one setup generation). */
export function rolesOf(form: FormSchema, config: Config): ResolvedRoles {
  let byConfig = cache.get(form);
  if (!byConfig) cache.set(form, (byConfig = new WeakMap()));
  let roles = byConfig.get(config);
  if (!roles) byConfig.set(config, (roles = resolveRoles(form, config)));
  return roles;
}

/**
 * The list of severity levels for this setup, most severe first: `severities`
 * when configured; else the options of the form's severity dropdown by their
 * short names (see shortLevelName); else SEV1–SEV4. The one place levels are decided.
 */
export function levelsOf(setup: { form: FormSchema; config: Config }): readonly string[] {
  return rolesOf(setup.form, setup.config).levels;
}

/**
 * A level's short name is an option's leading token: the text before the first
 * space, colon, dash set off by spaces, bracket, comma or `・` (`P1` of
 * `P1 — Major`, `SEV-2` of `SEV-2: Partial`, `レベル1` of `レベル1（全停止）`).
 */
export function shortLevelName(option: string): string {
  const match = /^[^\s:：(（[［【,，、・|/]+/u.exec(option.trim());
  return match ? match[0] : option.trim();
}

/** Options' short names, or the options themselves when two would share a short name. */
function levelsFromOptions(options: readonly string[]): string[] {
  const short = options.map(shortLevelName);
  return new Set(short.map((s) => s.toLowerCase())).size === short.length ? short : [...options];
}

export function resolveRoles(form: FormSchema, config: Config): ResolvedRoles {
  const chosen = new Map<Role, RoleChoice>();
  const taken = new Set<string>();
  for (const role of ROLES) {
    const id = config.fields[role];
    if (id === undefined) continue;
    if (id === false) {
      chosen.set(role, { role, field: null, source: "none", reason: { kind: "config-off" } });
      continue;
    }
    const field = form.byId.get(id) ?? null;
    chosen.set(role, field ? { role, field, source: "config", reason: { kind: "config", id } } : { role, field: null, source: "none", reason: { kind: "config-missing", id } });
    if (field) taken.add(field.id);
  }

  const candidates: { role: Role; field: FormField; index: number; score: number; reason: RoleReason & { kind: "match" } }[] = [];
  const fields = form.fields.slice(0, MAX_FIELDS_MATCHED);
  fields.forEach((field, index) => {
    if (taken.has(field.id)) return;
    const texts = { id: normalize(field.id), label: normalize(field.label), description: normalize(field.description) };
    const isDuration = (["id", "label"] as const).some((on) => hasAny(texts[on], DURATION_MARKERS));
    for (const role of ROLES) {
      if (chosen.has(role)) continue;
      const synonyms = ROLE_SYNONYMS[role];
      if (!synonyms.types.includes(field.type)) continue;
      if (isDuration && TIME_ROLES.has(role)) continue;
      const match = bestMatch(texts, synonyms);
      if (match) candidates.push({ role, field, index, score: match.score, reason: { kind: "match", on: match.on, synonym: match.synonym } });
    }
  });
  // Best match first; ties go to the role listed first, then to the field earlier in the form.
  candidates.sort((a, b) => b.score - a.score || ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.index - b.index);
  for (const c of candidates) {
    if (chosen.has(c.role) || taken.has(c.field.id)) continue;
    chosen.set(c.role, { role: c.role, field: c.field, source: "inferred", reason: c.reason });
    taken.add(c.field.id);
  }

  // A window field stands in for the start and the end that have no field of their own.
  const window = chosen.get("impact_window")?.field ?? null;
  const byRole = {} as Record<Role, RoleChoice>;
  for (const role of ROLES) {
    const choice = chosen.get(role);
    if (choice) byRole[role] = choice;
    else if (window && (role === "started_at" || role === "recovered_at")) byRole[role] = { role, field: window, source: "window", reason: { kind: "window", id: window.id } };
    else byRole[role] = { role, field: null, source: "none", reason: { kind: "not-found" } };
  }

  const severity = byRole.severity.field;
  if (config.severities) return { byRole, levels: config.severities, levelsFrom: "config" };
  if (severity?.type === "dropdown") return { byRole, levels: levelsFromOptions(severity.options), levelsFrom: "form" };
  return { byRole, levels: DEFAULT_LEVELS, levelsFrom: "default" };
}

const SOURCE_WEIGHT = { label: 3, id: 2, description: 1 } as const;

function bestMatch(texts: Record<"id" | "label" | "description", string>, synonyms: RoleSynonyms): { on: "id" | "label" | "description"; synonym: string; score: number } | null {
  let best: { on: "id" | "label" | "description"; synonym: string; score: number } | null = null;
  for (const on of ["label", "id", "description"] as const) {
    const text = texts[on];
    if (text === " ") continue;
    for (const synonym of synonyms.en) consider(on, synonym, hasWords(text, synonym));
    for (const synonym of synonyms.ja) consider(on, synonym, text.includes(synonym));
  }
  return best;

  function consider(on: "id" | "label" | "description", synonym: string, hit: boolean) {
    if (!hit) return;
    // A longer phrase is a more specific match; where it was found matters more.
    const score = SOURCE_WEIGHT[on] * 1000 + synonym.length;
    if (!best || score > best.score) best = { on, synonym, score };
  }
}

/** Lowercase, full-width folded (NFKC), `-`/`_`/punctuation as spaces, padded for word matching; Japanese brackets kept. */
function normalize(text: string): string {
  const folded = text.normalize("NFKC").toLowerCase().slice(0, 500);
  return ` ${folded.replace(/[-_/.,:;!?'"`*#()[\]{}<>|&+=~]+/g, " ").replace(/\s+/g, " ").trim()} `;
}

function hasWords(text: string, phrase: string): boolean {
  return text.includes(` ${phrase} `);
}

function hasAny(text: string, markers: { en: readonly string[]; ja: readonly string[] }): boolean {
  return markers.en.some((m) => hasWords(text, m)) || markers.ja.some((m) => text.includes(m.normalize("NFKC")));
}
