import fc from "fast-check";
import { parseIssue } from "@github/issue-parser";
import { describe, expect, it } from "vitest";
import { defaultForm } from "../../src/config/setup.js";
import { parseBody, splitChoices } from "../../src/form/body.js";
import { body, fixture, formFixture } from "../helpers/fixtures.js";
import { runs } from "../helpers/fuzz.js";

describe("parseBody", () => {
  const form = defaultForm();

  it("reads every answer of a real rendered body with mixed line endings", () => {
    const parsed = parseBody(body("complete"), form);
    expect(parsed.followsForm).toBe(true);
    // The fixture predates the form's two optional SLO fields.
    expect(parsed.missing.map((f) => f.id)).toEqual(["slos", "affected-share"]);
    expect(parsed.answers.get("severity")?.choices).toEqual(["SEV2"]);
    expect(parsed.answers.get("impact-started")?.text).toBe("2026-11-20 14:03 Asia/Tokyo");
    expect(parsed.answers.get("blameless")?.checked.get("This postmortem is blameless: it describes systems and decisions, not people at fault.")).toBe(true);
    expect([...parsed.answers.values()].some((a) => a.text.includes("\r\n"))).toBe(true);
  });

  it("reads an all-CRLF body the same way", () => {
    const lf = parseBody(body("complete"), form);
    const crlf = parseBody(body("complete-crlf"), form);
    expect([...crlf.answers.keys()]).toEqual([...lf.answers.keys()]);
    for (const [id, answer] of lf.answers) expect(crlf.answers.get(id)?.text.replace(/\r\n/g, "\n")).toBe(answer.text.replace(/\r\n/g, "\n"));
  });

  it("treats _No response_ and a dropdown's None as empty", () => {
    const parsed = parseBody(body("incomplete"), form);
    expect(parsed.answers.get("severity")).toMatchObject({ raw: "None", empty: true, choices: [] });
    expect(parsed.answers.get("impact")).toMatchObject({ raw: "_No response_", empty: true });
    expect(parsed.answers.get("blameless")?.checked.size).toBe(1);
    expect([...parsed.answers.get("blameless")!.checked.values()]).toEqual([false]);
  });

  it("keeps ### inside fences and typed headings in the answer above", () => {
    const parsed = parseBody(body("tricky"), form);
    expect(parsed.answers.get("root-causes")?.text).toContain("### Typed heading");
    expect(parsed.answers.get("timeline")?.text).toContain("### not a heading");
    expect(parsed.answers.get("supporting-information")?.text).toMatch(/```\n```/);
    expect(parsed.answers.get("blameless")?.checked.get("This postmortem is blameless: it describes systems and decisions, not people at fault.")).toBe(true);
    // The regex parser takes the `### Supporting information` line inside the timeline's fence as the heading.
    const regex = parseIssue(body("tricky"), fixture("../../.github/ISSUE_TEMPLATE/postmortem.yml")) as Record<string, unknown>;
    // It drops the rest of the timeline; this parser keeps it.
    expect(String(regex.timeline)).not.toContain("EU traffic moved");
    expect(parsed.answers.get("timeline")?.text).toContain("EU traffic moved");
    expect(parsed.answers.get("supporting-information")?.text).not.toContain("Updates:");
  });

  it("reports hand-renamed or deleted headings as missing", () => {
    const parsed = parseBody(body("renamed-heading"), form);
    expect(parsed.missing.map((f) => f.id)).toEqual(["slos", "affected-share", "trigger", "detection"]);
    expect(parsed.answers.get("root-causes")?.text).toContain("### What triggered it");
  });

  it("recognises a body with no form structure", () => {
    const parsed = parseBody(body("no-form"), form);
    expect(parsed.followsForm).toBe(false);
    expect(parsed.answers.size).toBe(0);
  });

  it("reads render: fences and multiple-choice dropdowns of a third-party form", () => {
    const acme = formFixture("acme-incident");
    const parsed = parseBody(body("acme-complete"), acme);
    expect(parsed.answers.get("services")?.choices).toEqual(["checkout", "search"]);
    expect(parsed.answers.get("logs")?.text).not.toMatch(/^```/);
    expect(parsed.answers.get("logs")?.empty).toBe(false);
  });

  it("treats an answer that is only an empty fence as no response", () => {
    const parsed = parseBody("### Summary\r\n\r\n```\r\n```\r\n\r\n### Severity\n\nSEV1", form);
    expect(parsed.answers.get("summary")?.empty).toBe(true);
    expect(parsed.answers.get("severity")?.choices).toEqual(["SEV1"]);
  });

  it("splits choices against options that contain the separator", () => {
    const field = { ...defaultForm().byId.get("severity")!, options: ["A, with comma", "B"], multiple: true };
    expect(splitChoices("A, with comma, B", field)).toEqual(["A, with comma", "B"]);
    expect(splitChoices("B, C", field)).toEqual(["B", "C"]);
  });

  it("never throws and finds every answer it was given, whatever the answers contain", () => {
    const answerText = fc.string({ unit: fc.constantFrom("a", " ", "\n", "\r\n", "#", "`", "~", "-", "[", "x", "]", "_", "<", ">"), maxLength: 60 });
    fc.assert(
      fc.property(fc.array(answerText, { minLength: form.fields.length, maxLength: form.fields.length }), (answers) => {
        // Keep each answer inside its section: close any fence it opens so the next heading stays a heading.
        const text = form.fields.map((f, i) => `### ${f.label}\n\n${answers[i]!.replace(/[`~]{3,}/g, "")}`).join("\n\n");
        const parsed = parseBody(text, form);
        for (const field of form.fields) {
          const answer = parsed.answers.get(field.id);
          if (!answer) return false;
          if (answer.start > answer.end) return false;
        }
        return true;
      }),
      { numRuns: runs(500) },
    );
  });

  it("parses a 65,536-character body with 10k headings and an unterminated fence", () => {
    const huge = "### Summary\n\n" + "### x\n".repeat(10_000) + "```\n" + "a".repeat(4_000);
    const parsed = parseBody(huge.slice(0, 65_536), form);
    expect(parsed.answers.get("summary")?.raw).toContain("### x");
  });
});
