import { describe, expect, it } from "vitest";
import { parseActionItems } from "../../src/postmortem/action-items.js";
import {
  emptyFollowUps,
  itemsToFile,
  linkAndTickItems,
  progress,
  readFollowUpMarker,
  renderFollowUp,
  type FollowUpState,
} from "../../src/postmortem/follow-ups.js";
import { configFixture } from "../helpers/fixtures.js";

const home = { owner: "acme", repo: "incidents" };
const config = configFixture("configs/teams.yml");
const body = "### Action items\r\n\r\n- [ ] Fix the pool owner: backend type: prevent due: 2026-12-15\r\n- [ ] Page faster owner: @acme/sre\r\n- [x] Done before owner: acme/infra acme/infra#3\r\n\r\n### Next\r\n\r\nx";
const items = () => parseActionItems(body.slice(body.indexOf("- [ ]"), body.indexOf("\r\n\r\n### Next")), body.indexOf("- [ ]"), home).items;

describe("follow-ups", () => {
  it("plans a follow-up for each untracked, unrecorded item with a known owner", () => {
    const plan = itemsToFile(items(), emptyFollowUps(), config, home);
    expect(plan.map((p) => [p.item.text, p.owner.repo])).toEqual([
      ["Fix the pool", { owner: "acme", repo: "backend" }],
      ["Page faster", { owner: "acme", repo: "sre" }],
    ]);
    const recorded: FollowUpState = { published: true, items: { [plan[0]!.item.key]: { ref: "acme/backend#7", state: "open", text: "Fix the pool" } } };
    expect(itemsToFile(items(), recorded, config, home).map((p) => p.item.text)).toEqual(["Page faster"]);
  });

  it("renders a follow-up with its context, a link back, a marker, and no live mentions", () => {
    const [entry] = itemsToFile(parseActionItems("- [ ] Ask @alice about it owner: backend type: detect due: 2026-12-15", 0, home).items, emptyFollowUps(), config, home);
    const facts = { ref: { owner: "acme", repo: "incidents", number: 4 }, title: "Outage", severity: "SEV2", incidentDate: "2026-11-20" };
    const full = renderFollowUp(entry!, facts, config, { minimal: false });
    expect(full.title).toBe("Ask @alice about it");
    expect(full.body).toContain("Ask @\u200balice about it");
    expect(full.body).toContain("| Severity | SEV2 |");
    expect(full.body).toContain("| Postmortem | acme/incidents#4 |");
    expect(full.labels).toEqual(["postmortem follow-up", "detect", "backend"]);
    expect(readFollowUpMarker(full.body)).toEqual({ parent: { owner: "acme", repo: "incidents", number: 4 }, key: entry!.item.key });
    const minimal = renderFollowUp(entry!, facts, config, { minimal: true });
    expect(minimal.body).not.toContain("SEV2");
    expect(minimal.body).not.toContain("2026-11-20");
  });

  it("writes each link beside its item and ticks boxes to match, on the exact bytes", () => {
    const [a, b] = itemsToFile(items(), emptyFollowUps(), config, home);
    const state: FollowUpState = {
      published: true,
      items: {
        [a!.item.key]: { ref: "acme/backend#7", state: "closed", reason: "completed", text: "Fix the pool" },
        [b!.item.key]: { ref: "acme/sre#2", state: "open", text: "Page faster" },
      },
    };
    const next = linkAndTickItems(body, items(), state)!;
    expect(next).toBe(
      "### Action items\r\n\r\n- [x] Fix the pool owner: backend type: prevent due: 2026-12-15 acme/backend#7\r\n- [ ] Page faster owner: @acme/sre acme/sre#2\r\n- [x] Done before owner: acme/infra acme/infra#3\r\n\r\n### Next\r\n\r\nx",
    );
    // Applied again to its own output it changes nothing: the links tie the items to their records.
    const again = parseActionItems(next.slice(next.indexOf("- [x]"), next.indexOf("\r\n\r\n### Next")), next.indexOf("- [x]"), home).items;
    expect(linkAndTickItems(next, again, state)).toBeNull();
    // Reopened: the box is unticked, the link stays.
    state.items[a!.item.key]!.state = "open";
    expect(linkAndTickItems(next, again, state)).toContain("- [ ] Fix the pool owner: backend type: prevent due: 2026-12-15 acme/backend#7");
  });

  it("ties an item to its follow-up by the link even after its text was edited", () => {
    const state: FollowUpState = { published: true, items: { oldkey: { ref: "acme/backend#7", state: "closed", text: "old text" } } };
    const edited = parseActionItems("- [ ] Completely rewritten owner: backend acme/backend#7", 0, home).items;
    expect(itemsToFile(edited, state, config, home)).toEqual([]);
    expect(linkAndTickItems("- [ ] Completely rewritten owner: backend acme/backend#7", edited, state)).toBe("- [x] Completely rewritten owner: backend acme/backend#7");
  });

  it("writes a plain or numbered item's link after its first line and ticks nothing, since it has no box", () => {
    const answer = "1. Fix the pool\n   owner: backend\n2. Page faster — @acme/sre";
    const parsed = parseActionItems(answer, 0, home, config).items;
    const state: FollowUpState = {
      published: true,
      items: {
        [parsed[0]!.key]: { ref: "acme/backend#7", state: "closed", reason: "completed", text: "Fix the pool" },
        [parsed[1]!.key]: { ref: "acme/sre#2", state: "open", text: "Page faster" },
      },
    };
    const next = linkAndTickItems(answer, parsed, state)!;
    expect(next).toBe("1. Fix the pool acme/backend#7\n   owner: backend\n2. Page faster — @acme/sre acme/sre#2");
    expect(linkAndTickItems(next, parseActionItems(next, 0, home, config).items, state)).toBeNull();
  });

  it("files nothing when follow-ups are off", () => {
    const off = { ...config, follow_ups: { ...config.follow_ups, enabled: false } };
    expect(itemsToFile(items(), emptyFollowUps(), off, home)).toEqual([]);
  });

  it("fills the Issue and Status cells of a table", () => {
    const table = "| Action | Owner | Issue | Status |\n| --- | --- | --- | --- |\n| Fix it | backend | | |";
    const parsed = parseActionItems(table, 0, home).items;
    const state: FollowUpState = { published: true, items: { [parsed[0]!.key]: { ref: "acme/backend#9", state: "closed", reason: "not_planned", text: "Fix it" } } };
    expect(linkAndTickItems(table, parsed, state)).toBe("| Action | Owner | Issue | Status |\n| --- | --- | --- | --- |\n| Fix it | backend | acme/backend#9 | not planned |");
  });

  it("counts progress, with not-planned and missing follow-ups apart", () => {
    const state: FollowUpState = {
      published: true,
      items: {
        a: { ref: "o/r#1", state: "closed", reason: "completed", text: "" },
        b: { ref: "o/r#2", state: "closed", reason: "not_planned", text: "" },
        c: { ref: "o/r#3", state: "open", text: "" },
        d: { ref: "o/r#4", state: "open", missing: "deleted", text: "" },
      },
    };
    expect(progress(state)).toEqual({ total: 4, done: 1, notPlanned: 1, open: 1, missing: 1, allClosed: false });
    expect(progress({ published: true, items: { a: state.items.a!, b: state.items.b! } }).allClosed).toBe(true);
    expect(progress(emptyFollowUps()).allClosed).toBe(false);
  });

  it("refuses forged or broken markers", () => {
    expect(readFollowUpMarker("no marker")).toBeNull();
    expect(readFollowUpMarker('<!-- postmortem-bot:follow-up {"parent":"not a ref","key":"k"} -->')).toBeNull();
    expect(readFollowUpMarker("<!-- postmortem-bot:follow-up {broken -->")).toBeNull();
  });
});
