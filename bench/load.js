// Webhook load over real HTTP with autocannon: signed `issues.edited`
// deliveries, a fresh X-GitHub-Delivery per request.
//
// Rate steps use autocannon's `overallRate`, with one connection per
// delivery/s and each connection's once-a-second tick staggered evenly over
// the second, so deliveries arrive at a steady rate. (Unstaggered, autocannon
// sends every connection's quota at the top of each second: bursts, whose
// queueing would be measured instead of the handler.) Coordinated-omission
// correction is off; latencies are each request's own time, from autocannon's
// `response` events, in ms.
import autocannon from "autocannon";
import { createHmac, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { percentile, readProcCpuMs, round, rssSampler, sleep } from "./util.js";

export function sign(secret, body) {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function staggerClients(connections) {
  let index = 0;
  return (client) => {
    const i = index++;
    if (!client.rate) return;
    if (typeof client._doRequest !== "function") throw new Error("autocannon internals changed: Client#_doRequest is missing");
    // Hold the connection's first request until its slot in the second.
    client.reqsMadeThisSecond = Number.POSITIVE_INFINITY;
    setImmediate(() => {
      clearInterval(client.rateInterval);
      const tick = () => {
        if (client.destroyed) {
          clearInterval(client.rateInterval);
          return;
        }
        client.reqsMadeThisSecond = 0;
        if (client.paused) {
          client.paused = false;
          client._doRequest();
        }
      };
      const offset = setTimeout(() => {
        if (client.destroyed) return;
        tick();
        client.rateInterval = setInterval(tick, 1000);
      }, Math.floor((i * 1000) / connections));
      offset.unref?.();
    });
  };
}

/**
 * One load run against one app.
 * @param {{ url: string, secret: string, bodies: Buffer[], rate?: number, durationS: number,
 *           connections?: number, pid?: number, clkTck?: number, standin?: any }} o
 */
export async function loadRun(o) {
  const bodies = o.bodies;
  let k = 0;
  const setupRequest = (req) => {
    const body = bodies[k++ % bodies.length];
    req.method = "POST";
    req.path = "/api/github/webhooks";
    req.headers = {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/bench",
      "x-github-event": "issues",
      "x-github-delivery": randomUUID(),
      "x-github-hook-id": "1",
      "x-hub-signature-256": sign(o.secret, body),
    };
    req.body = body;
    return req;
  };
  const connections = o.rate ? o.rate : (o.connections ?? 10);
  const latencies = [];
  const statuses = new Map();

  const rss = o.pid ? rssSampler(o.pid, 100) : null;
  const appCpu0 = o.pid ? readProcCpuMs(o.pid, o.clkTck) : null;
  const driverCpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const calls0 = o.standin ? o.standin.calls.length : 0;
  const t0 = performance.now();

  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: o.url,
        connections,
        duration: o.durationS,
        ...(o.rate ? { overallRate: o.rate } : {}),
        pipelining: 1,
        timeout: 30,
        ...(o.rate ? { ignoreCoordinatedOmission: true } : {}),
        requests: [{ setupRequest }],
        setupClient: o.rate ? staggerClients(connections) : undefined,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });

  const wallMs = performance.now() - t0;
  const elu = performance.eventLoopUtilization(elu0);
  const driverCpu = process.cpuUsage(driverCpu0);
  const appCpu1 = o.pid ? readProcCpuMs(o.pid, o.clkTck) : null;
  const rssResult = rss ? rss.stop() : null;
  // Stand-in calls made while the load ran (in-flight ones at the end may be missing).
  let apiCalls = null;
  if (o.standin) {
    const window = o.standin.calls.slice(calls0);
    const nonOk = window.filter((c) => c.status < 200 || c.status >= 300).length;
    const installation = window.filter((c) => !c.appLevel).length;
    apiCalls = { total: window.length, installation, nonOk };
  }
  const ok = latencies.length;
  return {
    rate: o.rate ?? null,
    connections,
    durationS: result.duration,
    sent: result.requests?.sent ?? null,
    completed: result.requests?.total ?? null,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: Object.fromEntries(statuses),
    throughput: round(ok / result.duration, 1),
    latencyMs: {
      p50: round(percentile(latencies, 50), 2),
      p90: round(percentile(latencies, 90), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(latencies.length ? Math.max(...latencies) : null, 2),
      mean: round(latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null, 2),
    },
    appCpuPercent: appCpu0 !== null && appCpu1 !== null ? round(((appCpu1 - appCpu0) / wallMs) * 100, 1) : null,
    appRssMaxBytes: rssResult?.maxBytes ?? null,
    appRssEndBytes: rssResult?.lastBytes ?? null,
    driverEventLoopUtilization: round(elu.utilization, 3),
    driverCpuPercent: round(((driverCpu.user + driverCpu.system) / 1000 / wallMs) * 100, 1),
    apiCalls,
    apiCallsPerDelivery: apiCalls && ok ? round(apiCalls.installation / ok, 3) : null,
  };
}

/** Waits until the stand-in has had no API request in flight for `quietMs`. */
export async function drain(standin, quietMs = 300, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let seen = standin.calls.length;
  for (;;) {
    await sleep(quietMs);
    if (standin.calls.length === seen) return;
    seen = standin.calls.length;
    if (Date.now() > deadline) return;
  }
}
