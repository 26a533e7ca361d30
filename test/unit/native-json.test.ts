import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliOctokit } from "../../src/cli/report.js";
import { parseJsonNatively, readBody } from "../../src/github/native-json.js";
import type { Octokit } from "../../src/github/octokit.js";

// 2^53 + 1: json-with-bigint (Octokit's own parser) makes it a BigInt, JSON.parse a Number.
const BIG = "9007199254740993";

const ROUTES: Record<string, { status: number; type?: string; body: string | Buffer }> = {
  "/json": { status: 200, type: "application/json; charset=utf-8", body: `{"id":${BIG},"title":"Pool — ¥14.2M ×6"}` },
  "/bom": { status: 200, type: "application/vnd.github.raw; charset=utf-8", body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("label: pm\n")]) },
  "/broken": { status: 200, type: "application/json", body: "{not json" },
  "/text": { status: 200, type: "text/plain", body: "plain" },
  "/binary": { status: 200, type: "application/octet-stream; charset=utf-8", body: Buffer.from([1, 2, 3]) },
  "/untyped": { status: 200, body: "no type" },
  "/empty": { status: 204, body: "" },
  "/missing": { status: 404, type: "application/json", body: '{"message":"Not Found"}' },
};

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = ROUTES[req.url!.split("?")[0]!];
    if (req.method === "POST" || !route) {
      res.writeHead(req.method === "POST" ? 201 : 404, { "content-type": "application/json" });
      res.end(req.method === "POST" ? `{"id":${BIG}}` : "{}");
      return;
    }
    res.writeHead(route.status, route.type ? { "content-type": route.type } : {});
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function octokit(): Octokit {
  const o = new ProbotOctokit({ auth: { token: "t" }, baseUrl, throttle: { enabled: false }, retry: { enabled: false } }) as Octokit;
  parseJsonNatively(o);
  return o;
}

describe("parseJsonNatively", () => {
  it("parses JSON with JSON.parse: big integers become Numbers, text keeps its UTF-8", async () => {
    const { data } = await octokit().request("GET /json");
    expect(data).toEqual({ id: Number(BIG), title: "Pool — ¥14.2M ×6" });
    expect(typeof (data as { id: unknown }).id).toBe("number");
  });

  it("is what the report's Octokit uses", async () => {
    const { data } = await createCliOctokit("t", baseUrl, { out: () => {}, err: () => {} }).request("GET /json");
    expect(typeof (data as { id: unknown }).id).toBe("number");
  });

  it("reads other bodies as Octokit does", async () => {
    const o = octokit();
    expect((await o.request("GET /bom")).data).toBe("label: pm\n");
    expect((await o.request("GET /broken")).data).toBe("{not json");
    expect((await o.request("GET /text")).data).toBe("plain");
    expect((await o.request("GET /untyped")).data).toBe("no type");
    expect((await o.request("GET /empty")).data).toBe("");
    const binary = (await o.request("GET /binary")).data;
    expect(binary).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(binary as ArrayBuffer)]).toEqual([1, 2, 3]);
  });

  it("leaves errors and other methods to Octokit, and does not leak into later requests", async () => {
    const o = octokit();
    await expect(o.request("GET /missing")).rejects.toMatchObject({ status: 404, response: { data: { message: "Not Found" } } });
    await o.request("GET /json");
    // Octokit's own parser (BigInt) still serves the POST: the GET's option did not stick to the shared defaults.
    const { data } = await o.request("POST /anything", { x: 1 });
    expect(typeof (data as { id: unknown }).id).toBe("bigint");
  });

  it("installs once", async () => {
    const o = octokit();
    parseJsonNatively(o);
    expect((await o.request("GET /json")).data).toMatchObject({ title: "Pool — ¥14.2M ×6" });
  });
});

describe("readBody", () => {
  const stream = (text: string) => new Blob([text]).stream();

  it("passes through what is not a stream", async () => {
    expect(await readBody("", "application/json")).toBe("");
    expect(await readBody([1], "application/json")).toEqual([1]);
  });

  it("matches media types and charsets loosely, as the content-type package does", async () => {
    expect(await readBody(stream("[1]"), "Application/JSON ; charset=UTF-8")).toEqual([1]);
    expect(await readBody(stream('{"a":1}'), "application/scim+json")).toEqual({ a: 1 });
    expect(await readBody(stream("x"), 'application/vnd.github.raw; charset="utf-8"')).toBe("x");
    expect(await readBody(stream("x"), "application/vnd.github.raw")).toBeInstanceOf(ArrayBuffer);
  });
});
