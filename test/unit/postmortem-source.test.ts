import { describe, expect, it } from "vitest";
import type { FileReader } from "../../src/config/setup.js";
import { listPostmortemsBatched, REPOS_PER_REQUEST, type IssueNode } from "../../src/github/graphql-source.js";
import type { Octokit } from "../../src/github/octokit.js";
import { fetchPostmortems } from "../../src/github/postmortem-source.js";

type Node = IssueNode;

/**
 * An Octokit whose GraphQL answers each aliased repository's `issues` from `issuesOf(name)`, 100 a page
 * (cursor = offset), and records every request.
 */
function fakeOctokit(issuesOf: (repo: string) => Node[], pageSize = 100): Octokit & { requests: Array<Record<string, unknown>> } {
  const requests: Array<Record<string, unknown>> = [];
  const graphql = async (_query: string, variables: Record<string, unknown>) => {
    requests.push(variables);
    const data: Record<string, unknown> = {};
    for (let i = 0; `n${i}` in variables; i++) {
      const all = issuesOf(String(variables[`n${i}`]));
      const from = Number(variables[`c${i}`] ?? 0);
      const nodes = all.slice(from, from + pageSize);
      const hasNextPage = from + pageSize < all.length;
      data[`r${i}`] = { issues: { pageInfo: { hasNextPage, endCursor: hasNextPage ? String(from + pageSize) : null }, nodes } };
    }
    return data;
  };
  return { graphql, requests } as unknown as Octokit & { requests: Array<Record<string, unknown>> };
}

const noFiles: FileReader = { read: async () => null };

function node(number: number, extra: Partial<Node> = {}): Node {
  return {
    number,
    title: `Postmortem ${number}`,
    url: `https://github.com/acme/incidents/issues/${number}`,
    body: `### Summary\n\n${number}`,
    state: "CLOSED",
    createdAt: "2026-01-02T03:04:05Z",
    labels: { nodes: [{ name: "postmortem" }, { name: "SEV1" }, null] },
    ...extra,
  };
}

const ref = (repo: string) => ({ owner: "acme", repo });

describe("fetchPostmortems", () => {
  it("maps the issues to postmortems, page by page", async () => {
    const octokit = fakeOctokit(() => [node(1), ...Array.from({ length: 99 }, (_, i) => node(i + 2)), node(101, { state: "OPEN", body: null })]);
    const fetched = await fetchPostmortems(octokit, { target: { kind: "repo", owner: "acme", repo: "incidents" }, reader: noFiles });
    expect(octokit.requests).toHaveLength(2);
    expect(octokit.requests[1]).toMatchObject({ o0: "acme", n0: "incidents", l0: ["postmortem"], c0: "100", since: null });
    expect(fetched.repos).toEqual(["acme/incidents"]);
    expect(fetched.setups.get("acme/incidents")?.ok).toBe(true);
    expect(fetched.postmortems[0]).toEqual({
      repo: "acme/incidents",
      number: 1,
      title: "Postmortem 1",
      url: "https://github.com/acme/incidents/issues/1",
      body: "### Summary\n\n1",
      state: "closed",
      createdAt: "2026-01-02T03:04:05Z",
      labels: ["postmortem", "SEV1"],
    });
    expect(fetched.postmortems.at(-1)).toEqual(expect.objectContaining({ number: 101, state: "open", body: "" }));
  });

  it("gathers a repository holding more postmortems than a call can take as arguments", async () => {
    const many = Array.from({ length: 250_000 }, (_, i) => node(i + 1));
    const fetched = await fetchPostmortems(fakeOctokit(() => many, 250_000), { target: { kind: "repo", owner: "acme", repo: "incidents" }, reader: noFiles });
    expect(fetched.postmortems).toHaveLength(250_000);
    expect(fetched.postmortems.at(-1)?.number).toBe(250_000);
  });
});

describe("listing several repositories per request", () => {
  it("pages them side by side, and a repository that runs out makes room for the next", async () => {
    // 8 repositories: r0 has 250 issues (3 pages), the others 1 page each.
    const names = Array.from({ length: REPOS_PER_REQUEST + 3 }, (_, i) => `r${i}`);
    const octokit = fakeOctokit((repo) => Array.from({ length: repo === "r0" ? 250 : 10 }, (_, i) => node(i + 1)));
    const pages: string[] = [];
    const lists = await listPostmortemsBatched(octokit, names.map((name) => ({ ref: ref(name), label: `pm-${name}` })), {
      updatedSince: new Date("2026-01-01T00:00:00Z"),
      onPage: (r, page) => pages.push(`${r.repo}:${page}`),
    });
    expect(lists.map((list) => list.length)).toEqual([250, ...Array<number>(names.length - 1).fill(10)]);
    expect(new Set(lists[0]!.map((p) => p.number)).size).toBe(250);
    // Request 1: r0..r4. Request 2: r0 (page 2) and r5..r7. Request 3: r0 (page 3).
    expect(octokit.requests.map((variables) => Object.keys(variables).filter((k) => k.startsWith("n")).map((k) => variables[k]))).toEqual([
      ["r0", "r1", "r2", "r3", "r4"],
      ["r0", "r5", "r6", "r7"],
      ["r0"],
    ]);
    expect(octokit.requests[1]).toMatchObject({ n0: "r0", c0: "100", l0: ["pm-r0"], n1: "r5", c1: null, l1: ["pm-r5"], since: "2026-01-01T00:00:00.000Z" });
    expect(pages.filter((p) => p.startsWith("r0:"))).toEqual(["r0:1", "r0:2", "r0:3"]);
  });

  it("gives a repository GraphQL cannot find the status REST would, so callers can explain it", async () => {
    const octokit = {
      graphql: async () => {
        throw Object.assign(new Error("Request failed due to following response errors"), {
          errors: [{ type: "NOT_FOUND", path: ["r0"], message: "Could not resolve to a Repository with the name 'acme/nope'." }],
          data: { r0: null },
        });
      },
    } as unknown as Octokit;
    await expect(listPostmortemsBatched(octokit, [{ ref: ref("nope"), label: "postmortem" }])).rejects.toMatchObject({
      status: 404,
      message: "Could not resolve to a Repository with the name 'acme/nope'.",
    });
  });
});
