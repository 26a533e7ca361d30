import { describe, expect, it } from "vitest";
import type { Octokit } from "../../src/github/octokit.js";
import { PERMISSION_TTL_MS, Permissions } from "../../src/github/permissions.js";
import { mayCopy } from "../../src/github/repos.js";

/** An Octokit whose permission API answers from `answers` (login -> body) and counts the calls. */
function octokitWith(answers: Record<string, { permission: string; role_name?: string } | 404>) {
  const calls: string[] = [];
  const octokit = {
    rest: {
      repos: {
        getCollaboratorPermissionLevel: async ({ username }: { username: string }) => {
          calls.push(username);
          const answer = answers[username];
          if (answer === 404 || answer === undefined) throw Object.assign(new Error("Not Found"), { status: 404 });
          return { data: answer };
        },
      },
    },
  } as unknown as Octokit;
  return { octokit, calls };
}

const REPO = { owner: "acme", repo: "pm" };
/** lru-cache reads its clock at most once per millisecond of real time. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe("permissions", () => {
  it("reads triage and maintain from role_name, and a custom role by its base permission", async () => {
    const { octokit } = octokitWith({
      tom: { permission: "read", role_name: "triage" },
      mia: { permission: "write", role_name: "maintain" },
      auditor: { permission: "write", role_name: "security-auditor" },
      reader: { permission: "read", role_name: "read" },
    });
    const permissions = new Permissions();
    const may = (login: string, role: "triage" | "maintain") => permissions.atLeast(octokit, 1, REPO, login, role);
    expect(await Promise.all(["tom", "mia", "auditor", "reader", "stranger"].map((l) => may(l, "triage")))).toEqual([true, true, true, false, false]);
    expect(await Promise.all(["tom", "mia", "auditor"].map((l) => may(l, "maintain")))).toEqual([false, true, false]);
  });

  it("believes a role for 60 seconds only, so a revocation takes effect within a minute", async () => {
    let now = 1_000;
    const answers: Record<string, { permission: string; role_name?: string }> = { tom: { permission: "read", role_name: "triage" } };
    const { octokit, calls } = octokitWith(answers);
    const permissions = new Permissions({ now: () => now });
    expect(await permissions.canTriage(octokit, 1, "acme", "pm", "tom")).toBe(true);
    answers.tom = { permission: "read", role_name: "read" };
    now += PERMISSION_TTL_MS - 1000;
    await tick();
    expect(await permissions.canTriage(octokit, 1, "acme", "pm", "tom")).toBe(true);
    now += 2000;
    await tick();
    expect(await permissions.canTriage(octokit, 1, "acme", "pm", "tom")).toBe(false);
    expect(calls).toEqual(["tom", "tom"]);
  });
});

describe("the visibility rule", () => {
  it("lets text go only where no more people can read it, unless opted in", () => {
    expect(mayCopy("private", "private", false)).toBe(true);
    expect(mayCopy("internal", "private", false)).toBe(true);
    expect(mayCopy("private", "internal", false)).toBe(false);
    expect(mayCopy("private", "public", false)).toBe(false);
    expect(mayCopy("internal", "public", false)).toBe(false);
    expect(mayCopy("public", "public", false)).toBe(true);
    expect(mayCopy("private", "public", true)).toBe(true);
  });
});
