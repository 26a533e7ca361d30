import { describe, expect, it } from "vitest";
import { parseActionItems, parseReference, resolveOwner } from "../../src/postmortem/action-items.js";
import { body, configFixture } from "../helpers/fixtures.js";

const home = { owner: "acme", repo: "incidents" };
const teams = configFixture("configs/teams.yml");

function section(text: string, heading: string) {
  const start = text.indexOf(heading) + heading.length;
  const rest = text.slice(start);
  const end = rest.search(/\n\n### /);
  const answer = rest.slice(0, end).replace(/^\s+/, "");
  return { answer, offset: text.indexOf(answer, start) };
}

describe("parseActionItems", () => {
  it("reads a task list: text, owner, type, due, and where each checkbox is", () => {
    const text = body("complete");
    const { answer, offset } = section(text, "### Action items");
    const { items } = parseActionItems(answer, offset, home);
    expect(items.map((i) => [i.text.slice(0, 30), i.owner, i.type, i.due, i.checked])).toEqual([
      ["Alert on checkout error rate o", "backend", "detect", "2026-12-15", false],
      ["Add downstream services (payme", "@acme/sre", "process", null, false],
      ["Route payment provider calls t", "acme/infra", "prevent", null, false],
    ]);
    for (const item of items) {
      expect(text[item.checkbox!]).toBe(" ");
      expect(text.slice(item.line.start, item.line.start + 6)).toBe("- [ ] ");
      expect(text[item.line.end]).toMatch(/[\r\n]/);
    }
  });

  it("recognises existing tracking references at the end of a line", () => {
    const text = body("tricky");
    const { answer, offset } = section(text, "### Action items");
    const { items } = parseActionItems(answer, offset, home);
    expect(items.map((i) => i.ref)).toEqual([null, { owner: "acme", repo: "infra", number: 12 }, { owner: "acme", repo: "infra", number: 15 }]);
    expect(items[1]!.type).toBe("detect");
    expect(items[2]!.checked).toBe(true);
  });

  it("reads an SRE-book table by header name, in any order and case", () => {
    const text = body("acme-complete");
    const { answer, offset } = section(text, "### Follow-ups");
    const { items } = parseActionItems(answer, offset, home);
    expect(items.map((i) => [i.text, i.type, i.owner, i.ref])).toEqual([
      ["Alert when any search data node passes 80% disk", "detect", "@acme/search", null],
      ["Cap search fan-out per request at 8 shards", "prevent", "acme/search-service", { owner: "acme", repo: "search-service", number: 231 }],
      ["Document the shard rebalancing procedure", "process", "sre", null],
    ]);
    const first = items[0]!;
    expect(text.slice(first.issueCell!.start, first.issueCell!.end)).toBe(" ");
    const reordered = "| owner | ISSUE | Action |\n| - | - | - |\n| sre | #4 | Do it |";
    expect(parseActionItems(reordered, 0, home).items[0]).toMatchObject({ text: "Do it", owner: "sre", ref: { owner: "acme", repo: "incidents", number: 4 } });
  });

  it("keeps the same key when only the link is added, and a different key for other text", () => {
    const a = parseActionItems("- [ ] Fix the pool owner: backend", 0, home).items[0]!;
    const b = parseActionItems("- [ ] Fix the pool owner: backend acme/backend#9", 0, home).items[0]!;
    const c = parseActionItems("- [ ] Fix the  POOL — owner: backend", 0, home).items[0]!;
    const d = parseActionItems("- [ ] Fix the queue owner: backend", 0, home).items[0]!;
    expect(b.key).toBe(a.key);
    expect(c.key).toBe(a.key);
    expect(d.key).not.toBe(a.key);
    expect(b.ref).toEqual({ owner: "acme", repo: "backend", number: 9 });
  });

  it("reads a plain bullet as an item and skips prose", () => {
    const { items } = parseActionItems("- [ ] ok owner: x\n- not a task\n\nsome prose", 0, home);
    expect(items.map((i) => [i.kind, i.text, i.owner, i.checked])).toEqual([
      ["task", "ok", "x", false],
      ["list", "not a task", null, null],
    ]);
  });
});

describe("resolveOwner", () => {
  it.each([
    ["backend", { repo: { owner: "acme", repo: "backend" }, labels: ["backend"], assignees: [], via: "team" }],
    ["@acme/sre", { repo: { owner: "acme", repo: "sre" }, labels: [], assignees: ["kenji-sato"], via: "handle" }],
    ["acme/infra", { repo: { owner: "acme", repo: "infra" }, labels: [], assignees: [], via: "repository" }],
    ["@alice", { repo: { owner: "acme", repo: "incidents" }, labels: [], assignees: ["alice"], via: "person" }],
  ])("resolves %s", (owner, expected) => {
    expect(resolveOwner(owner, teams, home)).toEqual(expected);
  });

  it("files a person's item in the postmortem's repository when no default_repo is set", () => {
    const config = { ...teams, follow_ups: { ...teams.follow_ups, default_repo: undefined } };
    expect(resolveOwner("@bob", config, { owner: "acme", repo: "pm" })).toMatchObject({ repo: { owner: "acme", repo: "pm" } });
  });

  it("explains an unknown owner with the known teams", () => {
    const result = resolveOwner("frontend", teams, home);
    expect("error" in result && result.error).toMatch(/Known teams: `backend`, `sre`/);
  });
});

describe("parseReference", () => {
  it.each([
    ["#12", { owner: "acme", repo: "incidents", number: 12 }],
    ["acme/infra#3", { owner: "acme", repo: "infra", number: 3 }],
    ["https://github.com/acme/infra/issues/15", { owner: "acme", repo: "infra", number: 15 }],
    ["https://ghe.example.com/acme/infra/issues/15#issuecomment-1", { owner: "acme", repo: "infra", number: 15 }],
    ["issue-12", null],
    ["", null],
  ])("reads %s", (token, expected) => {
    expect(parseReference(token, home)).toEqual(expected);
  });
});
