import { rolesOf } from "../form/roles.js";
import MiniSearch, { type SearchResult } from "minisearch";
import { createHash } from "node:crypto";
import type { Config } from "../config/schema.js";
import type { Answer, ParsedBody } from "../form/body.js";
import type { FormField, FormSchema } from "../form/template.js";
import type { Visibility } from "../github/postmortem-source.js";
import { formatReference, parseActionItems } from "./action-items.js";
import { formatList } from "../i18n/format.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { similar as similarCatalog } from "../i18n/messages/similar.js";
import { escapeLink } from "./reading-list.js";
import { neutralizeMentions, quote } from "./text.js";

/**
 * "Have we seen this before?": earlier postmortems most like a given one. Pure: the index is
 * fed documents built from bodies the adapters already read (src/features/similar.ts).
 *
 * Text similarity is BM25+ (MiniSearch) over title, summary and causes (root causes, trigger,
 * contributing factors), with words cut by `Intl.Segmenter`, whose dictionary segmentation
 * splits Japanese (決済 | サービス | の | タイムアウト) as well as space-separated languages.
 * Shared services/components and the same trigger or contributing factor (choice fields) are
 * reasons of their own.
 */

/** One postmortem as the index knows it. */
export interface SimilarDoc {
  /** `owner/repo#number` as GitHub spells it. */
  ref: string;
  /** `owner/repo`. */
  repo: string;
  title: string;
  url: string;
  /** ISO; "earlier" means opened before. */
  createdAt: string;
  summary: string;
  /** Root causes, trigger and contributing factors written as text. */
  causes: string;
  /** Services/components named, normalized (trimmed, lowercase). */
  services: string[];
  /** Trigger / contributing factor values chosen in dropdowns or checkboxes, normalized. */
  factors: string[];
  /** Repository paths the postmortem names: an "affected components/paths" field, and paths its action items link to. */
  paths: string[];
  /** Action items with a tracking issue (`owner/repo#N`): its text, and whether its checkbox is still unticked. */
  followUps: Array<{ ref: string; text: string; open: boolean }>;
  /** The repository's visibility (from the installation's repository list; unknown counts as private). */
  visibility: Visibility;
}

export type SimilarReason = { kind: "service"; values: string[] } | { kind: "factor"; values: string[] } | { kind: "text"; terms: string[] };

export interface SimilarMatch {
  ref: string;
  title: string;
  url: string;
  reasons: SimilarReason[];
}

// ---------------------------------------------------------------- words

const segmenter = new Intl.Segmenter("ja", { granularity: "word" });

const STOP_WORDS = new Set(
  (
    "a an and are as at be been but by for from had has have in into is it its of on or our so that the their then there these this to " +
    "was we were when which while who will with not no after before during all any can could did do does than too very also about"
  ).split(" "),
);

/** Kana-only words of one or two characters are particles and endings (の, が, した, ため), not topics. */
const SHORT_KANA = /^[\p{Script=Hiragana}ー]{1,2}$/u;

/** The words of a text as the index compares them: NFKC, lower case, word-like segments, no stop words. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text.normalize("NFKC"))) {
    if (!isWordLike) continue;
    const term = segment.toLowerCase();
    if (STOP_WORDS.has(term) || SHORT_KANA.test(term) || /^\d+$/.test(term) || /^[a-z]$/.test(term)) continue;
    terms.push(term);
  }
  return terms;
}

// ---------------------------------------------------------------- which fields play which part

// Until the shared role inference lands, the fields are found by id or label synonyms (English and Japanese).
const ROLE_SYNONYMS = {
  causes: { ids: ["root-causes", "root-cause", "causes", "cause", "why"], labels: ["root cause", "causes", "原因", "根本原因", "発生原因"] },
  factors: { ids: ["trigger", "triggers", "contributing-factors", "contributing-factor", "factors"], labels: ["trigger", "contributing factor", "トリガー", "きっかけ", "発生契機", "寄与要因", "要因"] },
  services: {
    ids: ["services", "service", "components", "component", "affected-services", "affected-components", "systems", "affected-systems"],
    labels: ["service", "component", "affected system", "サービス", "コンポーネント", "システム"],
  },
  paths: {
    ids: ["paths", "affected-paths", "affected-components", "code-paths", "files"],
    labels: ["paths", "affected component", "affected code", "files", "対象パス", "関連パス", "影響範囲", "影響したコンポーネント", "関連ファイル"],
  },
  summary: { ids: ["summary", "overview", "what-happened"], labels: ["summary", "overview", "what happened", "概要", "サマリー", "要約"] },
} as const;

type SimilarityRole = keyof typeof ROLE_SYNONYMS;

function normalizedLabel(label: string): string {
  return label.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/** fieldsFor's answers per form and config: both are cached objects of one setup, so this is computed once per setup. */
const fieldsCache = new WeakMap<FormSchema, WeakMap<Config, Map<SimilarityRole, FormField[]>>>();

/** The form's fields for one part, by id or label synonym (the summary by its configured role first). */
export function fieldsFor(form: FormSchema, config: Config, role: SimilarityRole): FormField[] {
  let byConfig = fieldsCache.get(form);
  if (!byConfig) fieldsCache.set(form, (byConfig = new WeakMap()));
  let byRole = byConfig.get(config);
  if (!byRole) byConfig.set(config, (byRole = new Map()));
  let fields = byRole.get(role);
  if (!fields) byRole.set(role, (fields = findFields(form, config, role)));
  return fields;
}

function findFields(form: FormSchema, config: Config, role: SimilarityRole): FormField[] {
  if (role === "summary") {
    const configured = rolesOf(form, config).byRole.summary.field;
    if (configured) return [configured];
  }
  const { ids, labels } = ROLE_SYNONYMS[role];
  return form.fields.filter((field) => {
    if ((ids as readonly string[]).includes(field.id)) return true;
    const label = normalizedLabel(field.label);
    return labels.some((synonym) => label.includes(synonym));
  });
}

function choicesOf(answer: Answer): string[] {
  if (answer.empty) return [];
  if (answer.field.type === "dropdown") return answer.choices;
  if (answer.field.type === "checkboxes") return [...answer.checked].filter(([, ticked]) => ticked).map(([label]) => label);
  return [];
}

function listValues(answer: Answer): string[] {
  if (answer.empty) return [];
  const chosen = choicesOf(answer);
  if (chosen.length > 0 || answer.field.type !== "input" && answer.field.type !== "textarea") return chosen;
  return answer.text.split(/[\n,、;；]+/).map((value) => value.replace(/^\s*(?:[-*+]|\d+\.)\s+/, ""));
}

const normalizeValue = (value: string) => value.normalize("NFKC").trim().toLowerCase();
const unique = (values: string[]) => [...new Set(values.map(normalizeValue).filter((v) => v.length > 0 && v.length <= 100))];

/** Longest text kept per part: enough to say what an incident was about, bounded in memory. */
const MAX_PART_CHARS = 4_000;

export interface DocSource {
  repo: string;
  number: number;
  title: string;
  url: string;
  createdAt: string;
  visibility: Visibility;
}

/** The index's document for a postmortem, from its parsed body. */
export function docFrom(source: DocSource, parsed: ParsedBody, form: FormSchema, config: Config): SimilarDoc {
  const answersOf = (role: SimilarityRole) => fieldsFor(form, config, role).flatMap((field) => parsed.answers.get(field.id) ?? []);
  const text = (answers: Answer[]) => answers.filter((a) => !a.empty && (a.field.type === "input" || a.field.type === "textarea")).map((a) => a.text).join("\n").slice(0, MAX_PART_CHARS);
  const factors = answersOf("factors");
  const itemsField = rolesOf(form, config).byRole.action_items.field;
  const itemsAnswer = itemsField ? parsed.answers.get(itemsField.id) : undefined;
  const [owner = "", repo = ""] = source.repo.split("/");
  const items = itemsAnswer && !itemsAnswer.empty ? parseActionItems(itemsAnswer.raw, itemsAnswer.rawStart, { owner, repo }, config).items : [];
  return {
    ref: `${source.repo}#${source.number}`,
    repo: source.repo,
    title: source.title.slice(0, 300),
    url: source.url,
    createdAt: source.createdAt,
    summary: text(answersOf("summary")),
    causes: text([...answersOf("causes"), ...factors]),
    services: unique(answersOf("services").flatMap(listValues)),
    factors: unique(factors.flatMap(choicesOf)),
    paths: [...new Set([...answersOf("paths").flatMap(listValues).flatMap(pathsIn), ...items.flatMap((item) => pathsIn(item.text))])].slice(0, 100),
    followUps: items.flatMap((item) => (item.ref ? [{ ref: formatReference(item.ref), text: item.text.slice(0, 300), open: item.checked !== true }] : [])).slice(0, 100),
    visibility: source.visibility,
  };
}

const BLOB_URL = /https?:\/\/[^/\s]+\/[A-Za-z0-9-]+\/[A-Za-z0-9._-]+\/(?:blob|tree)\/[^/\s]+\/([^\s)#?]+)/g;
const CODE_SPAN = /`([^`\s]+)`/g;

/**
 * Repository paths in a text: file/tree URLs (the path after the ref), code spans that look like a
 * path (`src/payments/pool.ts`, `services/checkout/`), or the text itself when it is one such path.
 */
export function pathsIn(text: string): string[] {
  const found = [...text.matchAll(BLOB_URL)].map((m) => decodeURIComponent(m[1]!));
  found.push(...[...text.matchAll(CODE_SPAN)].map((m) => m[1]!).filter(looksLikePath));
  const plain = text.trim();
  if (found.length === 0 && looksLikePath(plain)) found.push(plain);
  return found.map((path) => path.replace(/^\.?\//, ""));
}

function looksLikePath(text: string): boolean {
  // A path with a slash, or a file name with a letter-led extension (`pool.ts`, not `v1.2`).
  return /^[\w.*-]+(?:\/[\w.*-]*)+$|^[\w*-]+\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(text);
}

/** Whether a changed file is under a named path: the same file, a file in that directory, or a `*` pattern. */
export function pathMatches(file: string, named: string): boolean {
  if (named.includes("*")) {
    const pattern = named.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*");
    return new RegExp(`^${pattern}(?:/.*)?$`).test(file);
  }
  const dir = named.endsWith("/") ? named : `${named}/`;
  return file === named || file.startsWith(dir);
}

/** What the suggestions for a document depend on: when it is unchanged, so are they (for the same index). */
export function docBasis(doc: SimilarDoc): string {
  const content = JSON.stringify([doc.title, doc.summary, doc.causes, doc.services, doc.factors]);
  return createHash("sha256").update(content).digest("hex").slice(0, 16);
}

// ---------------------------------------------------------------- the index

const REACH: Record<Visibility, number> = { private: 0, internal: 1, public: 2 };

/**
 * Who may be shown a postmortem: its title and link land in the reader's repository (a status
 * comment and its hidden state, a pull request comment), so it goes only where it reaches no wider
 * audience than its own: the reader's repository must be at most as visible as the candidate's
 * (private < internal < public). From a public repository, only public postmortems; from an
 * internal one, internal and public ones; from a private one, those of any repository of the
 * installation's organization, as follow-ups go from one private repository to another.
 * A reader whose visibility is unknown counts as public, a candidate's as private.
 */
export function visibleFrom(reader: { repo: string; visibility: Visibility | undefined }, candidate: Pick<SimilarDoc, "repo" | "visibility">): boolean {
  if (candidate.repo.toLowerCase() === reader.repo.toLowerCase()) return true;
  return REACH[reader.visibility ?? "public"] <= REACH[candidate.visibility];
}

/** Fewer shared words than this is chance, not similarity. */
const MIN_SHARED_TERMS = 2;
/** Query words looked up (the first ones of title, summary, causes): bounds a lookup's work. */
const MAX_QUERY_TERMS = 200;
const TERMS_SHOWN = 5;

export interface SimilarOptions {
  limit?: number;
  /** Candidates the reader may be shown (see visibleFrom). */
  visible: (candidate: SimilarDoc) => boolean;
}

const earlier = (a: SimilarDoc, b: SimilarDoc) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.repo === b.repo && refNumber(a) < refNumber(b));
const refNumber = (doc: SimilarDoc) => Number(doc.ref.slice(doc.ref.lastIndexOf("#") + 1));

/**
 * The postmortems of one installation, searchable. Kept incrementally (put/remove) and bounded:
 * past `maxDocs`, the oldest postmortems are dropped first.
 */
export class SimilarityIndex {
  readonly #docs = new Map<string, SimilarDoc>();
  readonly #search = new MiniSearch<SimilarDoc>({
    idField: "ref",
    fields: ["title", "summary", "causes"],
    storeFields: [],
    tokenize,
    processTerm: (term) => term,
    searchOptions: { boost: { title: 2, causes: 1.5 }, combineWith: "OR", tokenize: (term) => [term] },
  });

  constructor(readonly maxDocs = 10_000) {}

  get size(): number {
    return this.#docs.size;
  }

  docs(): IterableIterator<SimilarDoc> {
    return this.#docs.values();
  }

  get(ref: string): SimilarDoc | undefined {
    return this.#docs.get(ref.toLowerCase());
  }

  put(doc: SimilarDoc): void {
    const key = doc.ref.toLowerCase();
    const stored = { ...doc, ref: key };
    if (this.#docs.has(key)) this.#search.replace(stored);
    else {
      if (this.#docs.size >= this.maxDocs) {
        const oldest = [...this.#docs.values()].reduce((a, b) => (earlier(b, a) ? b : a));
        if (earlier(doc, oldest)) return;
        this.remove(oldest.ref);
      }
      this.#search.add(stored);
    }
    this.#docs.set(key, doc);
  }

  remove(ref: string): void {
    const key = ref.toLowerCase();
    if (!this.#docs.has(key)) return;
    this.#search.discard(key);
    this.#docs.delete(key);
  }

  /**
   * Up to `limit` earlier postmortems most like `doc`, each with its reasons. Rank: the BM25+
   * text score, plus half of the best text score for a shared service and again for a shared
   * trigger/contributing factor (a whole point each when no text matched at all).
   */
  similarTo(doc: SimilarDoc, options: SimilarOptions): SimilarMatch[] {
    const self = doc.ref.toLowerCase();
    const eligible = (candidate: SimilarDoc | undefined): candidate is SimilarDoc => candidate !== undefined && candidate.ref.toLowerCase() !== self && earlier(candidate, doc) && options.visible(candidate);
    const terms = [...new Set(tokenize(`${doc.title}\n${doc.summary}\n${doc.causes}`))].slice(0, MAX_QUERY_TERMS);
    const results: SearchResult[] =
      terms.length === 0 ? [] : this.#search.search({ queries: terms }, { filter: (result) => eligible(this.#docs.get(String(result.id))) });
    const text = new Map(results.map((result) => [String(result.id), result]));
    const best = results.reduce((max, result) => Math.max(max, result.score), 0);
    const bonus = best > 0 ? best / 2 : 1;
    const ranked: Array<{ doc: SimilarDoc; rank: number; reasons: SimilarReason[] }> = [];
    for (const [key, candidate] of this.#docs) {
      const hit = text.get(key);
      if (!hit && !eligible(candidate)) continue;
      const reasons: SimilarReason[] = [];
      const services = candidate.services.filter((s) => doc.services.includes(s));
      const factors = candidate.factors.filter((f) => doc.factors.includes(f));
      if (services.length > 0) reasons.push({ kind: "service", values: services });
      if (factors.length > 0) reasons.push({ kind: "factor", values: factors });
      const shared = hit ? terms.filter((t) => hit.queryTerms.includes(t)) : [];
      if (shared.length >= MIN_SHARED_TERMS) reasons.push({ kind: "text", terms: shared.slice(0, TERMS_SHOWN) });
      if (reasons.length === 0) continue;
      const rank = (shared.length >= MIN_SHARED_TERMS ? hit!.score : 0) + (services.length > 0 ? bonus : 0) + (factors.length > 0 ? bonus : 0);
      ranked.push({ doc: candidate, rank, reasons });
    }
    ranked.sort((a, b) => b.rank - a.rank || (a.doc.createdAt < b.doc.createdAt ? 1 : a.doc.createdAt > b.doc.createdAt ? -1 : 0) || a.doc.ref.localeCompare(b.doc.ref));
    return ranked.slice(0, options.limit ?? 3).map(({ doc: d, reasons }) => ({ ref: d.ref, title: d.title, url: d.url, reasons }));
  }
}

// ---------------------------------------------------------------- the status comment's section

/** What the status comment keeps (hidden state) and shows: the suggestions, and the document they were computed for. */
export interface SimilarState {
  basis: string;
  items: SimilarMatch[];
}

/** The kept suggestions, or undefined when absent or hand-edited out of shape. */
export function readSimilarState(state: Record<string, unknown> | null | undefined): SimilarState | undefined {
  const value = state?.similar as Partial<SimilarState> | undefined;
  if (!value || typeof value.basis !== "string" || !Array.isArray(value.items)) return undefined;
  const items = value.items.filter(
    (item): item is SimilarMatch =>
      typeof item === "object" && item !== null && typeof item.ref === "string" && typeof item.title === "string" && /^https?:\/\//.test(String(item.url)) && Array.isArray(item.reasons),
  );
  return { basis: value.basis, items };
}

function reasonText(reason: SimilarReason, messages: SimilarMessages, language: Language): string {
  const quoted = (values: string[]) => formatList(values.map((v) => quote(v, 40)), language);
  if (reason.kind === "service") return messages.service(quoted(reason.values));
  if (reason.kind === "factor") return messages.factor(quoted(reason.values));
  return messages.text(quoted(reason.terms));
}

type SimilarMessages = (typeof similarCatalog)["byLanguage"]["en"];

export function renderSimilarSection(state: SimilarState, language: Language): string[] {
  const messages = messagesOf(similarCatalog, language);
  const lines = [messages.heading, ""];
  if (state.items.length === 0) lines.push(messages.none);
  for (const item of state.items) {
    const reasons = item.reasons.map((r) => reasonText(r, messages, language)).join(language === "ja" ? "／" : "; ");
    lines.push(`- [${escapeLink(neutralizeMentions(item.title.replace(/[\r\n]+/g, " ")))}](${item.url}) (${quote(item.ref)}) — ${reasons}`);
  }
  lines.push("", messages.how);
  return lines;
}
