import type { RunningApp } from "./harness.js";
import type { Standin } from "./standin/server.js";

/**
 * Waits until nothing is happening: no delivery pending at the stand-in and no
 * webhook being handled by any app. Probot answers 202 after 9 s and keeps
 * working (its throttling spaces writes 1-3 s), so the stand-in alone cannot tell.
 */
export async function settle(standin: Standin, apps: RunningApp[], timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await standin.idle({ timeoutMs });
    const counts = await Promise.all(apps.map(async (app) => ((await (await fetch(`${app.url}/healthz`)).json()) as { inFlight: number }).inFlight));
    if (counts.every((n) => n === 0)) {
      await standin.idle({ timeoutMs });
      return;
    }
    if (Date.now() > deadline) throw new Error(`apps still busy after ${timeoutMs} ms: ${counts.join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
