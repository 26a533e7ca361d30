import type { Octokit } from "./octokit.js";

const INSTALLED = Symbol("postmortem-bot native JSON");

/**
 * Makes `octokit` parse successful GET responses with the native JSON.parse.
 *
 * Why: @octokit/request 10 parses with json-with-bigint, which on Node < 22
 * rewrites every string and number of the text with a regex, then parses
 * with a reviver: 7.5 ms for a page of 100 issues (826 KB) where JSON.parse
 * takes 1.1 ms, and a report over 10,000 postmortems reads 100 such pages.
 * The price: integers above 2^53 lose precision instead of becoming BigInts;
 * nothing this app reads (issue numbers, ids) comes near that.
 *
 * Errors and other methods keep Octokit's parsing: Octokit's retry and
 * throttling hooks run inside this one and read GraphQL answers (POST) for
 * errors. Everything else is read as Octokit would: JSON as a value (as text
 * when it does not parse), text types and UTF-8 charsets as text, the rest as
 * an ArrayBuffer.
 *
 * Install it before any hook that keeps or reads response data (such as
 * ConditionalRequests): hooks added later wrap this one and see parsed data.
 */
export function parseJsonNatively(octokit: Octokit): void {
  const marked = octokit as Octokit & { [INSTALLED]?: boolean };
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  octokit.hook.wrap("request", async (request, options) => {
    if (options.method !== "GET" || options.request?.parseSuccessResponseBody === false) return request(options);
    // Hooks share one options object (before-after-hook binds it to every layer): set a fresh `request` on it, never mutate the shared one.
    options.request = { ...options.request, parseSuccessResponseBody: false };
    const response = await request(options);
    response.data = await readBody(response.data, response.headers["content-type"]);
    return response;
  });
}

/** The body of a response as @octokit/request's getResponseData would give it. */
export async function readBody(body: unknown, contentType: string | undefined): Promise<unknown> {
  if (!(body instanceof ReadableStream)) return body; // 204, 205, or already read
  const bytes = await readAll(body as ReadableStream<Uint8Array>);
  const mime = /^\s*([^;\s]+)\s*(?:;(.*))?$/.exec(contentType ?? "");
  if (!mime) return utf8(bytes);
  const type = mime[1]!.toLowerCase();
  if (type === "application/json" || type === "application/scim+json") {
    const text = utf8(bytes);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  const charset = /(?:^|;)\s*charset\s*=\s*"?([^";\s]*)/i.exec(mime[2] ?? "")?.[1]?.toLowerCase();
  if (type.startsWith("text/") || (charset === "utf-8" && type !== "application/octet-stream")) return utf8(bytes);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/** UTF-8 text without a leading BOM, as fetch's `text()` gives it. */
function utf8(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  return Buffer.concat(chunks, length);
}
