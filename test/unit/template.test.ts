import { describe, expect, it } from "vitest";
import { defaultForm } from "../../src/config/setup.js";
import { parseForm } from "../../src/form/template.js";
import { fixture, formFixture } from "../helpers/fixtures.js";

describe("parseForm", () => {
  it("reads the shipped form: ids, types, required flags and options", () => {
    const form = defaultForm();
    expect(form.fields.map((f) => f.id)).toEqual([
      "summary", "severity", "impact-started", "detected", "mitigated", "recovered", "impact", "slos", "affected-share", "root-causes", "trigger",
      "resolution", "detection", "action-items", "went-well", "went-wrong", "got-lucky", "timeline", "supporting-information", "blameless",
    ]);
    expect(form.byId.get("severity")).toMatchObject({ type: "dropdown", options: ["SEV1", "SEV2", "SEV3", "SEV4"], multiple: false, required: true });
    expect(form.byId.get("mitigated")?.required).toBe(false);
    expect(form.byId.get("blameless")).toMatchObject({ type: "checkboxes", required: true });
    expect(form.byId.get("blameless")?.checkboxes[0]?.required).toBe(true);
  });

  it("reads a third-party form with multiple choice and render fields", () => {
    const form = formFixture("acme-incident");
    expect(form.byId.get("services")).toMatchObject({ multiple: true, required: true });
    expect(form.byId.get("logs")).toMatchObject({ render: "text", required: false });
    expect(form.byId.has("mitigated")).toBe(false);
  });

  it.each([
    ["broken-yaml", [[17, /invalid YAML/]]],
    ["broken-duplicate-id", [[21, /id 'detected' is used twice \(first at line 14\)/]]],
    ["broken-missing-label", [[6, /needs a non-empty attributes.label/], [20, /lists option 'SEV2' twice/]]],
  ] as const)("reports %s with file, line and reason", (name, expected) => {
    const result = parseForm(fixture(`forms/${name}.yml`), `forms/${name}.yml`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.line)).toEqual(expected.map(([line]) => line));
    result.problems.forEach((p, i) => {
      expect(p.file).toBe(`forms/${name}.yml`);
      expect(p.message).toMatch(expected[i]![1]);
    });
  });

  it.each([
    ["not a mapping", "- a\n- b\n", /must be a YAML mapping/],
    ["no body", "name: x\ndescription: y\n", /'body' is required/],
    ["unknown element type", "name: x\ndescription: y\nbody:\n  - type: slider\n    attributes: { label: L }\n", /unknown type "slider"/],
    ["empty options", "name: x\ndescription: y\nbody:\n  - type: dropdown\n    id: d\n    attributes: { label: L, options: [] }\n", /non-empty attributes.options/],
    ["duplicate labels", "name: x\ndescription: y\nbody:\n  - type: input\n    id: a\n    attributes: { label: Same }\n  - type: input\n    id: b\n    attributes: { label: same }\n", /label 'same' is used twice/],
    ["bad id", "name: x\ndescription: y\nbody:\n  - type: input\n    id: 'has space'\n    attributes: { label: L }\n", /must contain only letters/],
    ["markdown only", "name: x\ndescription: y\nbody:\n  - type: markdown\n    attributes: { value: hi }\n", /no answerable fields/],
  ])("refuses a form with %s", (_name, text, message) => {
    const result = parseForm(text, "f.yml");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join("\n")).toMatch(message);
  });

  it("gives fields without an id the slug of their label", () => {
    const result = parseForm("name: x\ndescription: y\nbody:\n  - type: input\n    attributes: { label: What broke? }\n", "f.yml");
    expect(result.ok && result.form.fields[0]?.id).toBe("what_broke");
  });
});
