// A tiny loopback load balancer for the multi-replica e2e test: each request
// goes to the next app process in turn (round robin), with its method, path,
// headers and body passed on byte for byte, and the app's status, headers and
// body passed back. It remembers which replica got which delivery.
import { request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the proxy forwarded it. */
export interface RoutedRequest {
  /** 0-based index of the replica (in the order the targets were given). */
  replica: number;
  method: string;
  path: string;
  /** X-GitHub-Delivery, when the request carried one. */
  deliveryId?: string;
  /** X-GitHub-Event, when the request carried one. */
  event?: string;
  /** The replica's HTTP status; 502 when the replica could not be reached. */
  status: number;
  startedAt: number;
  endedAt: number;
}

export interface RoundRobin {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request forwarded so far, in arrival order (filled in when answered). */
  readonly routed: RoutedRequest[];
  /** Replica indexes that handled this delivery id (one entry per delivery attempt). */
  replicasFor(deliveryId: string): number[];
  close(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) are the connection's own, not the request's.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

function forwardable(headers: IncomingHttpHeaders, host: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = value;
  }
  out.host = host;
  return out;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Start the proxy on 127.0.0.1 in front of `targets` (base URLs such as
 * `http://127.0.0.1:3001`). Request i goes to `targets[i % targets.length]`.
 */
export async function startRoundRobin(targets: string[]): Promise<RoundRobin> {
  if (targets.length === 0) throw new Error("round-robin: no targets");
  const upstreams = targets.map((t) => new URL(t));
  const routed: RoutedRequest[] = [];
  let next = 0;

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const replica = next++ % upstreams.length;
    const upstream = upstreams[replica]!;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const record: RoutedRequest = {
      replica,
      method: req.method ?? "GET",
      path: req.url ?? "/",
      deliveryId: header(req.headers, "x-github-delivery"),
      event: header(req.headers, "x-github-event"),
      status: 0,
      startedAt: Date.now(),
      endedAt: 0,
    };
    routed.push(record);
    const headers = forwardable(req.headers, upstream.host);
    if (req.headers["content-length"] === undefined && body.length > 0) headers["content-length"] = String(body.length);
    const upstreamReq = httpRequest({
      hostname: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
    });
    upstreamReq.on("response", (upstreamRes) => {
      record.status = upstreamRes.statusCode ?? 0;
      const back: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upstreamRes.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) back[name] = value;
      }
      res.writeHead(record.status, back);
      upstreamRes.pipe(res);
      upstreamRes.on("end", () => {
        record.endedAt = Date.now();
      });
    });
    upstreamReq.on("error", (error) => {
      record.status = 502;
      record.endedAt = Date.now();
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`round-robin: replica ${replica} (${upstream.host}) unreachable: ${error.message}\n`);
    });
    upstreamReq.end(body);
  };

  const server: Server = createServer((req, res) => {
    void onRequest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    replicasFor: (deliveryId) => routed.filter((r) => r.deliveryId === deliveryId).map((r) => r.replica),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
