import { describe, expect, it } from "vitest";
import { helpText, parseCommands } from "../../src/features/commands.js";

describe("parseCommands", () => {
  it("reads /postmortem lines with their arguments", () => {
    expect(parseCommands("Thanks!\r\n/postmortem publish\n  /postmortem   Check now\n/postmortem")).toEqual([
      { name: "publish", args: [] },
      { name: "check", args: ["now"] },
      { name: "help", args: [] },
    ]);
  });

  it("ignores commands inside code fences, block quotes, indented code and mid-line", () => {
    const body = [
      "```",
      "/postmortem publish",
      "```",
      "> /postmortem publish",
      "    /postmortem publish",
      "Please run /postmortem publish later.",
      "~~~md",
      "/postmortem check",
    ].join("\n");
    expect(parseCommands(body)).toEqual([]);
  });

  it("renders help from the registry", () => {
    const text = helpText([{ name: "x", usage: "/postmortem x", description: "Does x.", run: async () => ({ ok: true }) }]);
    expect(text).toContain("| `/postmortem x` | Does x. |");
  });
});
