/**
 * Graceful shutdown on SIGTERM (what container platforms send; Probot itself
 * handles only SIGINT): stop taking new work, finish what is in flight, exit.
 * Work refused while draining fails its delivery, so GitHub (or the load
 * balancer's other replica, on redelivery) still gets it done.
 */
const inFlight = new Set<Promise<unknown>>();
const closers: (() => Promise<void>)[] = [];
let draining = false;
let installed = false;

export class ShuttingDownError extends Error {
  constructor() {
    super("postmortem-bot is shutting down; redeliver this webhook");
  }
}

/** Runs `work` unless the process is draining, and lets shutdown wait for it. */
export async function trackWork<T>(work: () => Promise<T>): Promise<T> {
  if (draining) throw new ShuttingDownError();
  const promise = work();
  inFlight.add(promise);
  try {
    return await promise;
  } finally {
    inFlight.delete(promise);
  }
}

/** Webhooks being handled right now (for /healthz, and for tests that wait for quiet). */
export function inFlightCount(): number {
  return inFlight.size;
}

export function isDraining(): boolean {
  return draining;
}

export function installShutdown(log: { info: (msg: string) => void; error: (obj: object, msg: string) => void }, close: () => Promise<void>, graceMs = 25_000): void {
  closers.push(close);
  if (installed) return;
  installed = true;
  process.once("SIGTERM", () => {
    draining = true;
    log.info(`SIGTERM: finishing ${inFlight.size} webhook(s) in flight, then exiting`);
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    void Promise.race([Promise.allSettled([...inFlight]), grace])
      .then(() => Promise.allSettled(closers.map((c) => c())))
      .catch((error: unknown) => log.error({ err: error }, "error while shutting down"))
      // Let Probot write the HTTP answers of the work that just finished before the process goes.
      .finally(() => setTimeout(() => process.exit(0), 200));
  });
}
