import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigFile } from "../../src/config/load.js";
import { configJsonSchema, defaultConfig } from "../../src/config/schema.js";
import { BUILT_IN_FORM_FILE, defaultForm, isBuiltInForm, loadConfig, loadForm, loadSetup, type FileReader } from "../../src/config/setup.js";
import { fixture } from "../helpers/fixtures.js";

/** An in-memory org: "owner/repo:path" -> text. Counts reads. */
function org(files: Record<string, string>): FileReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (ref, path) => {
      const key = `${ref.owner}/${ref.repo}:${path}`;
      reads.push(key);
      return files[key] ?? null;
    },
  };
}

const ref = { owner: "acme", repo: "incidents" };

describe("config files", () => {
  it.each([
    ["configs/broken-yaml.yml", [[4, /invalid YAML/]]],
    ["configs/wrong-type.yml", [[3, /'severities' must be an array, not a string \("SEV1"\)/], [5, /'metrics.ttr_from' must be one of "started", "detected"/]]],
    ["configs/unknown-key.yml", [[3, /unknown key 'lable'/]]],
  ] as const)("reports %s with its lines", (path, expected) => {
    const result = parseConfigFile(fixture(path), path);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.line, p.file])).toEqual(expected.map(([line]) => [line, path]));
    result.problems.forEach((p, i) => expect(p.message).toMatch(expected[i]![1]));
  });

  it.each([
    ["timezone: Mars/Olympus", /'timezone' must be an IANA time zone/],
    ["severities: []", /'severities'/],
    ["severities: [SEV1, sev1]", /must not repeat a level/],
    ["labels: { ready: '' }", /'labels.ready'/],
    ["template: /abs.yml", /without a leading slash/],
    ["fields: { severity: sev, nonsense: x }", /unknown key under 'fields': 'nonsense'/],
    ["- a list", /must be a YAML mapping/],
  ])("explains %s", (text, message) => {
    const result = parseConfigFile(text, "c.yml");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join("\n")).toMatch(message);
  });

  it("accepts an empty file as all defaults", () => {
    expect(parseConfigFile("", "c.yml")).toEqual({ ok: true, raw: {} });
  });
});

describe("loadConfig", () => {
  it("uses built-in defaults when no file exists, after looking in the repo and the org", async () => {
    const reader = org({});
    expect(await loadConfig(reader, ref)).toEqual({ ok: true, config: defaultConfig, sources: [] });
    expect(reader.reads).toEqual(["acme/incidents:.github/postmortem.yml", "acme/.github:.github/postmortem.yml"]);
  });

  it("falls back to the org's .github repository", async () => {
    const result = await loadConfig(org({ "acme/.github:.github/postmortem.yml": "timezone: Asia/Tokyo" }), ref);
    expect(result.ok && result.config.timezone).toBe("Asia/Tokyo");
  });

  it("follows _extends, merging objects and replacing lists", async () => {
    const reader = org({
      "acme/incidents:.github/postmortem.yml": "_extends: shared:policies/pm.yml\nlabels: { ready: 'pm: ready' }\nseverities: [P1]",
      "acme/shared:policies/pm.yml": "_extends: acme/.github\ntimezone: Asia/Tokyo\nlabels: { incomplete: 'pm: todo' }\nseverities: [P0, P1, P2]",
      "acme/.github:.github/postmortem.yml": "metrics: { ttr_from: detected }",
    });
    const result = await loadConfig(reader, ref);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      timezone: "Asia/Tokyo",
      labels: { ready: "pm: ready", incomplete: "pm: todo" },
      severities: ["P1"],
      metrics: { ttr_from: "detected" },
    });
    expect(result.sources).toEqual(["acme/incidents:.github/postmortem.yml", "acme/shared:policies/pm.yml", "acme/.github:.github/postmortem.yml"]);
  });

  it.each([
    [{ "acme/incidents:.github/postmortem.yml": "_extends: other", "acme/other:.github/postmortem.yml": "_extends: incidents" }, /cycle/],
    [{ "acme/incidents:.github/postmortem.yml": "_extends: evil/base" }, /outside the acme organization/],
    [{ "acme/incidents:.github/postmortem.yml": "_extends: missing" }, /does not exist/],
    [{ "acme/incidents:.github/postmortem.yml": "_extends: 'a b c'" }, /is not 'repo'/],
  ])("refuses a bad _extends chain", async (files, message) => {
    const result = await loadConfig(org(files), ref);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.message).toMatch(message);
  });

  it("names the file and line of a problem in an extended file", async () => {
    const result = await loadConfig(org({ "acme/incidents:.github/postmortem.yml": "_extends: base", "acme/base:.github/postmortem.yml": "\n\nlable: x" }), ref);
    expect(result).toEqual({ ok: false, language: "en", problems: [{ file: "acme/base:.github/postmortem.yml", line: 3, message: expect.stringContaining("unknown key 'lable'") }] });
  });
});

describe("loadForm", () => {
  const form = fixture("forms/acme-incident.yml");

  it("reads the repository's form, then the org's, then the built-in one", async () => {
    const repo = await loadForm(org({ "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml": form }), ref, defaultConfig);
    expect(repo.ok && repo.source).toBe("acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml");
    const orgForm = await loadForm(org({ "acme/.github:.github/ISSUE_TEMPLATE/postmortem.yml": form }), ref, defaultConfig);
    expect(orgForm.ok && orgForm.source).toBe("acme/.github:.github/ISSUE_TEMPLATE/postmortem.yml");
    const builtIn = await loadForm(org({}), ref, defaultConfig);
    expect(builtIn.ok && builtIn.source).toBe(BUILT_IN_FORM_FILE);
  });

  it("falls back to the built-in form of the config's language", async () => {
    const ja = await loadForm(org({}), ref, { ...defaultConfig, language: "ja" });
    expect(ja.ok && ja.source).toBe("postmortem-bot built-in form (.github/ISSUE_TEMPLATE/postmortem-ja.yml)");
    expect(ja.ok && ja.form.fields.find((f) => f.id === "summary")?.label).toBe("概要");
    // The same ids as the English form, so `fields:` and `levels:` configs carry over.
    expect(ja.ok && ja.form.fields.map((f) => f.id)).toEqual(defaultForm().fields.map((f) => f.id));
    expect(ja.ok && isBuiltInForm(ja.form)).toBe(true);
    // A form of the repository's own still wins.
    const own = await loadForm(org({ "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml": form }), ref, { ...defaultConfig, language: "ja" });
    expect(own.ok && own.source).toBe("acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml");
    expect(own.ok && isBuiltInForm(own.form)).toBe(false);
  });

  it("reports a broken form rather than falling back", async () => {
    const result = await loadSetup(org({ "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml": fixture("forms/broken-duplicate-id.yml") }), ref);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]).toMatchObject({ file: "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml", line: 21 });
      expect(result.config).toEqual(defaultConfig);
    }
  });
});

describe("hostile config and form files", () => {
  it("refuses a file over 256 KB before parsing it, and says the cap", () => {
    const result = parseConfigFile(`label: x\n# ${"x".repeat(700 * 1024)}\n`, "acme/pm:.github/postmortem.yml");
    expect(result).toEqual({ ok: false, problems: [{ file: "acme/pm:.github/postmortem.yml", line: null, message: "the file is 701 KB; at most 256 KB is read. Make it smaller." }] });
    const form = loadForm(org({ "acme/pm:.github/ISSUE_TEMPLATE/postmortem.yml": `name: x\n# ${"y".repeat(300 * 1024)}` }), { owner: "acme", repo: "pm" }, defaultConfig);
    return expect(form).resolves.toMatchObject({ ok: false, problems: [{ message: expect.stringContaining("at most 256 KB") }] });
  });

  it("turns a YAML alias bomb into a problem instead of a crash", () => {
    const bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
    const result = parseConfigFile(bomb, "f");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]!.message).toMatch(/^invalid YAML: .*aliases may expand to at most 100 nodes/);
  });

  it("finds duplicate keys in one pass, with their lines, in a large mapping too", () => {
    expect(parseConfigFile("label: a\ntimezone: UTC\nlabel: b\n", "f")).toEqual({ ok: false, problems: [{ file: "f", line: 3, message: "invalid YAML: Map keys must be unique" }] });
    // 18,000 keys under one mapping (about 240 KB): the pairwise check took seconds here; one pass finds the repeat at the end.
    const keys = Array.from({ length: 18_000 }, (_, i) => `  k${i}: v`).join("\n");
    const result = parseConfigFile(`reading_list:\n  reasons:\n${keys.replace(/^ {2}/gm, "    ")}\n    k7: again\n`, "f");
    expect(result).toEqual({ ok: false, problems: [{ file: "f", line: 18_003, message: "invalid YAML: Map keys must be unique" }] });
  });

  it("compares the organization of `_extends` case-insensitively", async () => {
    const result = await loadConfig(org({ "acme/pm:.github/postmortem.yml": "_extends: ACME/shared", "ACME/shared:.github/postmortem.yml": "timezone: Asia/Tokyo" }), { owner: "acme", repo: "pm" });
    expect(result).toMatchObject({ ok: true, config: { timezone: "Asia/Tokyo" } });
  });
});

describe("JSON Schema", () => {
  it("is emitted from the zod schema and committed up to date", () => {
    const committed = JSON.parse(readFileSync(new URL("../../schema/postmortem.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(configJsonSchema());
  });

  it("describes every key with its default", () => {
    const schema = configJsonSchema() as { properties: Record<string, { default?: unknown; description?: string }> };
    expect(schema.properties.timezone).toMatchObject({ default: "UTC" });
    expect(schema.properties.label?.description).toMatch(/marks an issue as a postmortem/);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["label", "labels", "template", "fields", "timezone", "severities", "metrics", "_extends"]));
  });
});
