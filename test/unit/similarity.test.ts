import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { parseBody } from "../../src/form/body.js";
import { docBasis, docFrom, fieldsFor, SimilarityIndex, tokenize, visibleFrom, type SimilarDoc } from "../../src/postmortem/similarity.js";
import { body, configFixture, formFixture } from "../helpers/fixtures.js";
import { postmortemBody } from "../helpers/postmortems.js";

let day = 0;
function doc(repo: string, number: number, fields: Partial<SimilarDoc>): SimilarDoc {
  day++;
  return {
    ref: `${repo}#${number}`,
    repo,
    title: "",
    url: `https://github.com/${repo}/issues/${number}`,
    createdAt: `2026-01-${String(day).padStart(2, "0")}T00:00:00Z`,
    summary: "",
    causes: "",
    services: [],
    factors: [],
    paths: [],
    followUps: [],
    visibility: "private",
    ...fields,
  };
}

const all = { visible: () => true };

describe("tokenize", () => {
  it("cuts Japanese into dictionary words and drops particles and endings", () => {
    expect(tokenize("決済サービスのDB接続プールが枯渇し、タイムアウトが多発した。")).toEqual(["決済", "サービス", "db", "接続", "プール", "枯渇", "タイム", "アウト", "多発"]);
  });

  it("lower-cases English, folds full-width letters, and drops stop words, digits and single letters", () => {
    expect(tokenize("The Payments service timed out at 14:00 — ＡＰＩ x")).toEqual(["payments", "service", "timed", "out", "api"]);
  });
});

describe("docFrom", () => {
  it("reads summary, root causes and trigger of the shipped form (text fields feed the text, no services)", () => {
    const text = postmortemBody({
      summary: "Checkout failed.",
      severity: "SEV2",
      started: "2026-11-20T05:00Z",
      detected: "2026-11-20T05:10Z",
      mitigated: null,
      recovered: "2026-11-20T06:00Z",
      rootCauses: "Pool exhausted.",
      trigger: "Campaign email.",
    });
    const form = defaultForm();
    const d = docFrom({ repo: "acme/pm", number: 4, title: "Checkout outage", url: "u", createdAt: "2026-11-21T00:00:00Z", visibility: "private" }, parseBody(text, form), form, defaultConfig);
    expect(d).toEqual({
      ref: "acme/pm#4",
      repo: "acme/pm",
      title: "Checkout outage",
      url: "u",
      createdAt: "2026-11-21T00:00:00Z",
      summary: "Checkout failed.",
      causes: "Pool exhausted.\nCampaign email.",
      services: [],
      factors: [],
      paths: [],
      followUps: [],
      visibility: "private",
    });
  });

  it("reads the services of a form that has them (dropdown, by id), and the configured summary", () => {
    const form = formFixture("acme-incident");
    const config = configFixture("forms/acme-incident.config.yml");
    expect(fieldsFor(form, config, "services").map((f) => f.id)).toEqual(["services"]);
    const d = docFrom({ repo: "acme/ops", number: 1, title: "Search down", url: "u", createdAt: "2026-11-21T00:00:00Z", visibility: "public" }, parseBody(body("acme-complete"), form), form, config);
    expect(d.services).toEqual(["checkout", "search"]);
    expect(d.summary.startsWith("Between 09:12 and 10:02 CET")).toBe(true);
  });

  it("gives the same basis for the same content and another one when the text changes", () => {
    const a = doc("acme/pm", 1, { title: "Pool", causes: "pool exhausted" });
    expect(docBasis({ ...a, url: "elsewhere" })).toBe(docBasis(a));
    expect(docBasis({ ...a, causes: "disk full" })).not.toBe(docBasis(a));
  });
});

describe("SimilarityIndex", () => {
  const pool = doc("acme/pm", 1, { title: "Checkout connection pool exhausted", causes: "The payments service shared one connection pool without a timeout." });
  const disk = doc("acme/pm", 2, { title: "Search disk full", causes: "The search node ran out of disk; shards went read-only." });
  const cert = doc("acme/pm", 3, { title: "Media certificate expired", causes: "Nobody renewed the certificate of the media CDN." });

  it("ranks the postmortem sharing the most distinctive words first, with those words as the reason", () => {
    const index = new SimilarityIndex();
    for (const d of [pool, disk, cert]) index.put(d);
    const current = doc("acme/pm", 9, { title: "Payments connection pool timeout", causes: "Every connection of the pool stayed busy." });
    const matches = index.similarTo(current, all);
    // Only the pool postmortem shares two words or more (payments, connection, pool, timeout, in the query's order); the others share none.
    expect(matches).toEqual([{ ref: "acme/pm#1", title: pool.title, url: pool.url, reasons: [{ kind: "text", terms: ["payments", "connection", "pool", "timeout"] }] }]);
  });

  it("finds the Japanese postmortem that shares words with a Japanese one", () => {
    const index = new SimilarityIndex();
    const ja1 = doc("acme/pm", 10, { title: "決済APIの接続プール枯渇", causes: "決済サービスの接続プールが枯渇し、タイムアウトが多発しました。" });
    const ja2 = doc("acme/pm", 11, { title: "検索クラスタのディスク満杯", causes: "検索ノードのディスクが満杯になり、シャードが読み取り専用になりました。" });
    for (const d of [pool, ja1, ja2]) index.put(d);
    const current = doc("acme/pm", 12, { title: "決済の接続プールが枯渇", causes: "キャンペーンで決済が急増し、接続プールが足りなくなりました。" });
    const matches = index.similarTo(current, all);
    // The query's words: 決済, 接続, プール, 枯渇, キャンペーン, 急増, 足り, … (の, が, し, なり are dropped); the
    // first four are in #10, none of them in #11, which shares no two words with it.
    expect(matches.map((m) => m.ref)).toEqual(["acme/pm#10"]);
    expect(matches[0]!.reasons).toEqual([{ kind: "text", terms: ["決済", "接続", "プール", "枯渇"] }]);
  });

  it("suggests a postmortem only into a repository at most as visible as its own: never a private one into a public or internal repository", () => {
    const index = new SimilarityIndex(10);
    const text = { title: "Checkout connection pool exhausted", causes: pool.causes };
    const secret = doc("acme/secret", 1, { ...text, visibility: "private" });
    const open = doc("acme/public-pm", 1, { ...text, visibility: "public" });
    const internal = doc("acme/inner", 1, { ...text, visibility: "internal" });
    const own = doc("acme/pm", 5, { ...text, visibility: "private" });
    for (const d of [secret, open, internal, own]) index.put(d);
    const refsFrom = (repo: string, visibility: "public" | "internal" | "private" | undefined) =>
      index
        .similarTo(doc(repo, 9, text), { limit: 10, visible: (c) => visibleFrom({ repo, visibility }, c) })
        .map((m) => m.ref)
        .sort();
    expect(refsFrom("acme/pm", "private")).toEqual(["acme/inner#1", "acme/pm#5", "acme/public-pm#1", "acme/secret#1"]);
    expect(refsFrom("acme/inner2", "internal")).toEqual(["acme/inner#1", "acme/public-pm#1"]);
    expect(refsFrom("acme/site", "public")).toEqual(["acme/public-pm#1"]);
    // A reader whose visibility is unknown is treated as public.
    expect(refsFrom("acme/site", undefined)).toEqual(["acme/public-pm#1"]);
  });

  it("suggests only earlier postmortems, and never the postmortem itself", () => {
    const index = new SimilarityIndex();
    const first = doc("acme/pm", 1, { title: "Checkout connection pool exhausted" });
    const later = doc("acme/pm", 2, { title: "Checkout connection pool exhausted" });
    index.put(first);
    index.put(later);
    expect(index.similarTo(first, all)).toEqual([]);
    expect(index.similarTo(later, all).map((m) => m.ref)).toEqual(["acme/pm#1"]);
  });

  it("gives shared services and trigger values as reasons, even without shared words", () => {
    const index = new SimilarityIndex();
    const a = doc("acme/ops", 1, { title: "Login slow", services: ["accounts", "checkout"], factors: ["deploy"] });
    const b = doc("acme/ops", 2, { title: "Emails late", services: ["notifications"] });
    index.put(a);
    index.put(b);
    const current = doc("acme/ops", 3, { title: "Cart errors", services: ["checkout"], factors: ["deploy"] });
    expect(index.similarTo(current, all)).toEqual([{ ref: "acme/ops#1", title: "Login slow", url: a.url, reasons: [{ kind: "service", values: ["checkout"] }, { kind: "factor", values: ["deploy"] }] }]);
  });

  it("shows at most three, and is kept incrementally: a replaced or removed document no longer matches", () => {
    const index = new SimilarityIndex();
    const docs = [1, 2, 3, 4].map((n) => doc("acme/pm", n, { title: `Checkout connection pool exhausted ${"again ".repeat(n)}` }));
    for (const d of docs) index.put(d);
    const current = doc("acme/pm", 9, { title: "Checkout connection pool exhausted" });
    expect(index.similarTo(current, all)).toHaveLength(3);
    for (const d of docs.slice(1)) index.remove(d.ref);
    index.put({ ...docs[0]!, title: "Search disk full" });
    expect(index.similarTo(current, all)).toEqual([]);
    expect(index.size).toBe(1);
  });

  it("stays within maxDocs by dropping the oldest postmortem", () => {
    const index = new SimilarityIndex(2);
    const [a, b, c] = [1, 2, 3].map((n) => doc("acme/pm", n, { title: "Checkout connection pool exhausted" }));
    index.put(a!);
    index.put(b!);
    index.put(c!);
    expect(index.size).toBe(2);
    expect(index.get(a!.ref)).toBeUndefined();
    expect(index.get(c!.ref)).toBeDefined();
  });
});
