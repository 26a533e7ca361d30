import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { main } from "../../src/cli/index.js";
import { resolveConfig } from "../../src/config/load.js";
import { configSchema, defaultConfig } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { parseBody } from "../../src/form/body.js";
import { rolesOf, ROLES, type ResolvedRoles, type Role } from "../../src/form/roles.js";
import { buildForm, parseForm, type FormSchema } from "../../src/form/template.js";
import { formatDuration } from "../../src/i18n/format.js";
import { parseActionItems } from "../../src/postmortem/action-items.js";
import { firstSentence } from "../../src/postmortem/reading-list.js";
import { parseTimestamp } from "../../src/postmortem/timestamps.js";
import { answerFor, validatePostmortem, type Validation } from "../../src/postmortem/validate.js";
import { body, fixture, FIXTURE_NOW } from "../helpers/fixtures.js";

const FORM_PATH = "../../.github/ISSUE_TEMPLATE/postmortem-ja.yml";
const formText = readFileSync(new URL(FORM_PATH, import.meta.url), "utf8");
const englishText = readFileSync(new URL("../../.github/ISSUE_TEMPLATE/postmortem.yml", import.meta.url), "utf8");

function jaForm(): FormSchema {
  const result = parseForm(formText, ".github/ISSUE_TEMPLATE/postmortem-ja.yml");
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.form;
}

/** A Japanese org's config: the language, its zone, the teams and the SLO the fixture bodies name. */
const jaConfig = resolveConfig({
  language: "ja",
  timezone: "Asia/Tokyo",
  template: ".github/ISSUE_TEMPLATE/postmortem-ja.yml",
  slos: [{ name: "決済の可用性", target: 99.9, window: "30d" }],
  teams: { backend: { repo: "acme/backend" }, sre: { repo: "acme/sre", handles: ["@acme/sre"] } },
  follow_ups: { default_repo: "acme/incidents" },
});
const enConfig = { ...jaConfig, language: "en" as const };
const home = { owner: "acme", repo: "incidents" };
const validate = (name: string, config = jaConfig): Validation => validatePostmortem({ body: body(name), form: jaForm(), config, now: FIXTURE_NOW, home });
const codes = (v: Validation) => v.problems.map((p) => [p.field, p.code]);

/** Common English words, looked for outside code spans and URLs: an English sentence leaking into Japanese text. */
const ENGLISH_WORDS = /\b(the|is|are|not|and|or|to|of|when|with|for|it|this|must|write|one)\b/i;
const prose = (text: string) => text.replace(/`[^`\n]*`/g, " ").replace(/https?:\/\/\S+/g, " ");
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

interface RawElement {
  type: string;
  id?: string;
  attributes: { label?: string; description?: string; placeholder?: string; value?: string; options?: (string | { label: string; required?: boolean })[] };
  validations?: { required?: boolean };
}
interface RawForm {
  name: string;
  description: string;
  title: string;
  labels: string[];
  body: RawElement[];
}
const raw = parseYaml(formText) as RawForm;
const rawEnglish = parseYaml(englishText) as RawForm;

describe("the Japanese form has the English form's structure", () => {
  it("parses, with the same element types (markdown included), ids, required flags, options and checkbox flags in the same order", () => {
    const ja = jaForm();
    const en = defaultForm();
    expect(raw.body.map((e) => [e.type, e.id ?? null])).toEqual(rawEnglish.body.map((e) => [e.type, e.id ?? null]));
    const shape = (form: FormSchema) =>
      form.fields.map((f) => ({ id: f.id, type: f.type, required: f.required, multiple: f.multiple, options: f.options, checkboxes: f.checkboxes.map((c) => c.required), render: f.render }));
    expect(shape(ja)).toEqual(shape(en));
    expect(ja.byId.get("severity")?.options).toEqual(["SEV1", "SEV2", "SEV3", "SEV4"]);
    expect(ja.fields.map((f) => [f.id, f.required]).filter(([, required]) => !required).map(([id]) => id)).toEqual(["mitigated", "slos", "affected-share", "got-lucky", "supporting-information"]);
  });

  it("is labelled as a postmortem (the default config's label) and titled in Japanese", () => {
    expect(raw.labels).toEqual(rawEnglish.labels);
    expect(raw.labels).toContain(defaultConfig.label);
    expect(raw.name).toBe("ポストモーテム");
    expect(raw.name).not.toBe(rawEnglish.name);
    expect(raw.title).toBe("[ポストモーテム] ");
  });

  it("names the SRE book's sections in Japanese", () => {
    expect(jaForm().fields.map((f) => f.label)).toEqual([
      "概要",
      "重大度",
      "影響開始日時",
      "検知日時",
      "暫定復旧日時",
      "復旧日時",
      "影響",
      "影響を受けたSLO",
      "影響割合",
      "根本原因",
      "トリガー",
      "対応",
      "検知",
      "アクションアイテム",
      "うまくいったこと",
      "うまくいかなかったこと",
      "幸運だったこと",
      "タイムライン",
      "補足情報",
      "ブレームレスの確認",
    ]);
  });

  it("writes every label, description, placeholder and option in Japanese, with no English sentence outside code", () => {
    const texts: [string, string][] = [["name", raw.name], ["description", raw.description]];
    for (const element of raw.body) {
      const where = element.id ?? element.type;
      for (const key of ["label", "description", "placeholder", "value"] as const) {
        const text = element.attributes[key];
        if (text !== undefined) texts.push([`${where}.${key}`, text]);
      }
      for (const option of element.attributes.options ?? []) if (typeof option !== "string") texts.push([`${where}.option`, option.label]);
    }
    expect(texts.length).toBeGreaterThan(50);
    for (const [where, text] of texts) {
      // Placeholders may be a bare example value (`2026-11-20 14:03 JST`, `38%`).
      if (!where.endsWith(".placeholder")) expect(text, where).toMatch(JAPANESE);
      expect(prose(text), where).not.toMatch(ENGLISH_WORDS);
    }
    // Polite form: the descriptions ask with 〜てください, never in the imperative plain form.
    const descriptions = raw.body.flatMap((e) => (e.attributes.description ? [e.attributes.description] : []));
    expect(descriptions.filter((d) => /ください|です|ますか/.test(d))).toHaveLength(descriptions.length);
  });

  it("gives timestamp examples that the app reads, in every shape the brief names", () => {
    const timeFields = ["impact-started", "detected", "mitigated", "recovered"];
    const examples: string[] = [];
    for (const element of raw.body.filter((e) => timeFields.includes(e.id ?? ""))) {
      examples.push(element.attributes.placeholder!);
      for (const [, code] of element.attributes.description!.matchAll(/`([^`]+)`/g)) if (/^\d{4}/.test(code!)) examples.push(code!);
    }
    expect(examples).toEqual(expect.arrayContaining(["2026-11-20 14:03 JST", "2026年11月20日 14:03", "2026/11/20 14:03 (JST)", "2026-11-20T14:03:00+09:00"]));
    for (const example of examples) {
      const parsed = parseTimestamp(example, "Asia/Tokyo", "ja");
      expect(parsed.ok, example).toBe(true);
    }
    expect(parseTimestamp("2026年11月20日 14:03", "Asia/Tokyo")).toMatchObject({ ok: true, epochMs: Date.parse("2026-11-20T05:03:00Z") });
  });

  it("gives action-item examples the reader takes apart into type, owner and due date", () => {
    const items = raw.body.find((e) => e.id === "action-items")!;
    const { items: parsed } = parseActionItems(items.attributes.placeholder!, 0, home, jaConfig);
    expect(parsed.map((i) => [i.type, i.owner, i.due])).toEqual([
      ["detect", "backend", "2026-12-15"],
      ["process", "@acme/sre", null],
    ]);
    expect(parsed[0]?.text).toBe("決済キューの滞留量にアラートを追加する");
  });
});

describe("roles of the Japanese form, inferred with no fields: config", () => {
  const ids = (roles: ResolvedRoles) => Object.fromEntries(ROLES.filter((r) => roles.byRole[r].field).map((r) => [r, roles.byRole[r].field!.id]));
  const expected: Partial<Record<Role, [string, string]>> = {
    summary: ["summary", "概要"],
    severity: ["severity", "重大度"],
    started_at: ["impact-started", "影響開始"],
    detected_at: ["detected", "検知日時"],
    mitigated_at: ["mitigated", "暫定復旧日時"],
    recovered_at: ["recovered", "復旧日時"],
    action_items: ["action-items", "アクションアイテム"],
    slos: ["slos", "影響を受けたslo"],
    affected_share: ["affected-share", "影響割合"],
  };

  it("finds every role the English form has, at the same ids, each for its Japanese label", () => {
    const roles = rolesOf(jaForm(), defaultConfig);
    expect(ids(roles)).toEqual(ids(rolesOf(defaultForm(), defaultConfig)));
    for (const [role, [id, synonym]] of Object.entries(expected)) {
      const choice = roles.byRole[role as Role];
      expect(choice.field?.id, role).toBe(id);
      expect(choice.source, role).toBe("inferred");
      expect(choice.reason, role).toEqual({ kind: "match", on: "label", synonym });
    }
    expect(roles.levels).toEqual(["SEV1", "SEV2", "SEV3", "SEV4"]);
    expect(roles.levelsFrom).toBe("form");
  });

  it("needs only the labels: with every id replaced, the same fields play the same roles", () => {
    const ja = jaForm();
    const renamed = buildForm("renamed.yml", ja.name, ja.fields.map((f, i) => ({ ...f, id: `field-${i}` })));
    const roles = rolesOf(renamed, defaultConfig);
    for (const [role, [id]] of Object.entries(expected)) {
      expect(roles.byRole[role as Role].field?.label, role).toBe(ja.byId.get(id)?.label);
      expect(roles.byRole[role as Role].reason.kind, role).toBe("match");
    }
    for (const role of ["impact_window", "time_to_detect", "time_to_mitigate", "time_to_recover", "budget_spent"] as const) expect(roles.byRole[role].field, role).toBeNull();
  });
});

describe("ja-complete.md, validated with language: ja", () => {
  it("is the body GitHub renders from the form: every heading in form order, LF between fields, CRLF inside typed answers, no final newline", () => {
    const text = body("ja-complete");
    const headings = [...text.matchAll(/^### (.+)$/gm)].map((m) => m[1]!.replace(/\r$/, ""));
    expect(headings).toEqual(jaForm().fields.map((f) => f.label));
    expect(text).toContain("\n\n### 重大度\n\nSEV2\n\n### 影響開始日時\n\n");
    expect(text).toContain("を経験しました。決済 25,800 件のうち 9,800 件（38%）が失敗しました。\r\n- 1,420 万円分");
    expect(text).toContain("**復旧。**\r\n\n\n### 補足情報");
    expect(text.endsWith("について書いています。")).toBe(true);
  });

  it("is ready: no problems, SEV2, TTD 12分, TTM 47分, TTR 1時間38分", () => {
    const v = validate("ja-complete");
    expect(v.problems).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.severity).toBe("SEV2");
    expect(v.timeline).toEqual({
      startedAt: Date.parse("2026-11-20T05:03:00Z"),
      detectedAt: Date.parse("2026-11-20T05:15:00Z"),
      mitigatedAt: Date.parse("2026-11-20T05:50:00Z"),
      recoveredAt: Date.parse("2026-11-20T06:41:00Z"),
    });
    expect([v.metrics.ttd.seconds, v.metrics.ttm.seconds, v.metrics.ttr.seconds]).toEqual([720, 2820, 5880]);
    expect([v.metrics.ttd, v.metrics.ttm, v.metrics.ttr].map((m) => formatDuration(m.seconds!, "ja"))).toEqual(["12分", "47分", "1時間38分"]);
  });

  it("reads the action items with their types, owners and due dates (担当： and 期限： with full-width colons too)", () => {
    expect(validate("ja-complete").actionItems.map((i) => ({ text: i.text, type: i.type, owner: i.owner, due: i.due, ref: i.ref, checked: i.checked }))).toEqual([
      { text: "決済のエラー率を 2 分間の窓で監視し、payments-api の接続プールの飽和にもアラートを出す", type: "detect", owner: "backend", due: "2026-12-15", ref: null, checked: false },
      { text: "10 万人以上にメールを送るキャンペーンのキャパシティ確認リストに、決済やメールなど下流のサービスを加える", type: "process", owner: "@acme/sre", due: "2026-12-20", ref: null, checked: false },
      { text: "決済代行会社への呼び出しを egress プロキシ経由にし、経路ごとのタイムアウトとサーキットブレーカーを入れる", type: "prevent", owner: "acme/infra", due: null, ref: null, checked: false },
    ]);
  });

  it("feeds the SLO fields into the error budget (98 min × 0.38 of 43.2 min) and the summary's first sentence into the reading list", () => {
    const v = validate("ja-complete");
    expect(v.level.budget?.share).toBe(0.38);
    expect(v.level.budget?.slos.map((s) => [s.name, s.consumedPercent])).toEqual([["決済の可用性", 86.2]]);
    const summary = answerFor("summary", v.roles, v.parsed)!;
    expect(firstSentence(summary.text)).toBe("2026年11月20日 14:03〜15:41（JST）、決済 API が決済の 38% を拒否し、受講者が講座の購入や更新をできなくなりました。");
  });

  it("reads 検知日時 without a zone in the config's timezone: in UTC it falls after 暫定復旧日時", () => {
    const v = validate("ja-complete", { ...jaConfig, timezone: "UTC" });
    expect(codes(v)).toEqual([["mitigated", "timestamp-order"]]);
    expect(v.problems[0]?.message).toContain("「暫定復旧日時」が「検知日時」より前になっています");
  });
});

describe("ja-incomplete.md, validated with language: ja", () => {
  it("reports an empty severity and impact, the unticked box, a date without a year and an item without an owner", () => {
    expect(codes(validate("ja-incomplete"))).toEqual([
      ["severity", "required"],
      ["impact", "required"],
      ["blameless", "checkbox-required"],
      ["detected", "timestamp-date-order"],
      ["action-items", "action-item-owner-missing"],
    ]);
  });

  it("says each problem in Japanese, naming the field as the form does (「」)", () => {
    const messages = validate("ja-incomplete").problems.map((p) => p.message);
    expect(messages[0]).toBe("「重大度」は必須ですが、空欄です。`SEV1`, `SEV2`, `SEV3`, `SEV4` のいずれかを選んでください。");
    expect(messages[1]).toBe("「影響」は必須ですが、空欄です。`### 影響` の見出しの下に書いてください（`_No response_` を書き換えます）。");
    expect(messages[2]).toMatch(/^「ブレームレスの確認」: `このポストモーテムはブレームレスです。.*` にチェックが必要です。/);
    expect(messages[3]).toMatch(/^「検知日時」: `11\/20 14:15` には年がありません。/);
    expect(messages[4]).toMatch(/^「アクションアイテム」の1件目（`決済のエラー率を 2 分間の窓で監視する`）に担当がありません。/);
    for (const message of messages) {
      expect(message).toMatch(JAPANESE);
      expect(prose(message)).not.toMatch(ENGLISH_WORDS);
      expect(message).not.toMatch(/\*\*/);
    }
  });

  it("still computes what the valid times give: TTR 1時間38分, no TTD, no TTM", () => {
    const v = validate("ja-incomplete");
    expect([v.metrics.ttd.seconds, v.metrics.ttm.seconds, v.metrics.ttr.seconds]).toEqual([null, null, 5880]);
    expect(v.metrics.ttd.unavailable).toBe("影響開始と検知の時刻が必要です");
  });

  it("with language: en, the same problems are the English sentences, naming the Japanese labels in bold", () => {
    const v = validate("ja-incomplete", enConfig);
    expect(codes(v)).toEqual(codes(validate("ja-incomplete")));
    expect(v.problems[0]?.message).toBe("**重大度** is required but empty. Choose one of `SEV1`, `SEV2`, `SEV3`, `SEV4`.");
    expect(v.problems[1]?.message).toBe("**影響** is required but empty. Write it under the `### 影響` heading (replace `_No response_`).");
  });
});

describe("the English form is unchanged by the Japanese one", () => {
  it("the built-in form is still the English form, and its complete-slo.md still parses against it", () => {
    expect(defaultForm().name).toBe("Postmortem");
    const parsed = parseBody(body("complete-slo"), defaultForm());
    expect(parsed.missing).toEqual([]);
    // A Japanese body does not follow the English form: what an org gets if it copies the Japanese form without `template:`.
    expect(parseBody(body("ja-complete"), defaultForm()).followsForm).toBe(false);
  });
});

describe("postmortem-bot init on the Japanese form", () => {
  it("exits 0 (TTR can be computed), shows the roles by their Japanese labels, and starts a config naming the form", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["init", fileURLToPath(new URL(FORM_PATH, import.meta.url)), "--lang", "ja"], { out: (t) => out.push(t), err: (t) => err.push(t) });
    expect(code).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/started_at +impact-started \(「影響開始日時」\)/);
    expect(text).toMatch(/mitigated_at +mitigated \(「暫定復旧日時」\)/);
    expect(text).toContain("\ntemplate: .github/ISSUE_TEMPLATE/postmortem-ja.yml\n");
  });
});

describe("postmortem-bot lint on a `language: ja` config without --template", () => {
  it("checks against the built-in Japanese form, as the app does for a `language: ja` repository with no form", async () => {
    // The org's config without `template:`: the form is the built-in one of its language.
    const dir = mkdtempSync(join(tmpdir(), "ja-lint-"));
    const config = join(dir, "postmortem.yml");
    writeFileSync(config, `language: ja\ntimezone: Asia/Tokyo\nslos:\n  - { name: 決済の可用性, target: 99.9, window: 30d }\n${fixture("configs/teams.yml")}`);
    const lint = async (name: string) => {
      const out: string[] = [];
      const code = await main(["lint", fileURLToPath(new URL(`../fixtures/bodies/${name}.md`, import.meta.url)), "--config", config, "--now", FIXTURE_NOW.toISOString()], { out: (t) => out.push(t), err: (t) => out.push(t) });
      return { code, text: out.join("\n") };
    };
    const complete = await lint("ja-complete");
    expect(complete.code).toBe(0);
    expect(complete.text).toContain("1時間38分");
    const incomplete = await lint("ja-incomplete");
    expect(incomplete.code).toBe(1);
    expect(incomplete.text).toContain("「重大度」");
  });
});

describe("docs/ja/README.md", () => {
  const doc = readFileSync(new URL("../../docs/ja/README.md", import.meta.url), "utf8");

  it("lists only config keys the schema has", () => {
    const section = doc.slice(doc.indexOf("## 設定"), doc.indexOf("## コマンド"));
    const keys = [...section.matchAll(/^\| `([a-z_.]+)` \|/gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(15);
    for (const key of keys) {
      let shape: unknown = configSchema;
      for (const part of key.split(".")) {
        shape = unwrap(shape);
        const fields = (shape as { shape?: Record<string, unknown> }).shape;
        expect(fields && Object.hasOwn(fields, part), key).toBe(true);
        shape = fields![part];
      }
    }
  });

  it("gives timestamp examples the app reads, and refuses the ones it says are refused", () => {
    const section = doc.slice(doc.indexOf("### 日時の書き方"), doc.indexOf("### アクションアイテムの書き方"));
    const rows = section.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| 書き方") && !line.startsWith("| ---"));
    const examples = rows.flatMap((row) => [...row.split(" | ")[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect(examples.length).toBeGreaterThan(10);
    for (const example of examples) expect(parseTimestamp(example, "Asia/Tokyo", "ja").ok, example).toBe(true);
    for (const refused of ["11/20/2026 14:03", "20/11/2026 14:03", "11/20 14:15", "2026-11-20 14:03 CST"]) {
      expect(section).toContain(refused.split(" ")[0]!);
      expect(parseTimestamp(refused, "Asia/Tokyo", "ja").ok, refused).toBe(false);
    }
  });

  it("gives action-item examples read as it says", () => {
    const block = /### アクションアイテムの書き方[\s\S]*?```markdown\n([\s\S]*?)```/.exec(doc)![1]!;
    const { items } = parseActionItems(block, 0, home, jaConfig);
    expect(items.map((i) => [i.type, i.owner, i.due, i.ref && `${i.ref.owner}/${i.ref.repo}#${i.ref.number}`])).toEqual([
      ["detect", "backend", "2026-12-15", null],
      ["process", "@acme/sre", "2026-12-20", null],
      [null, "acme/infra", null, null],
      ["prevent", null, null, "acme/payments-api#483"],
    ]);
  });

  it("tells how to choose the Japanese form and the language", () => {
    expect(doc).toContain(".github/ISSUE_TEMPLATE/postmortem-ja.yml");
    expect(doc).toContain("language: ja");
    expect(doc).toContain("template: .github/ISSUE_TEMPLATE/postmortem-ja.yml");
    expect(doc).toContain("## 日本語のコマンド名");
    expect(doc).toContain("docs/commands.md");
  });
});

/** Zod wrappers (default, optional, prefault) around an object schema. */
function unwrap(schema: unknown): unknown {
  let current = schema as { def?: { innerType?: unknown; type?: string } };
  while (current.def?.innerType) current = current.def.innerType as typeof current;
  return current;
}
