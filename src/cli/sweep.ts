import { readFile } from "node:fs/promises";
import { Probot } from "probot";
import { sweepAll } from "../features/reminders.js";
import { createCoordinator } from "../runtime/coordination.js";
import { createRuntime } from "../runtime/runtime.js";
import { isLanguage, messagesOf, type Language } from "../i18n/index.js";
import { cliMessages } from "../i18n/messages/cli.js";
import { UsageError, type CliIO } from "./io.js";

export const SWEEP_USAGE = "usage: postmortem-bot sweep [--lang en|ja]   (with the app's APP_ID and PRIVATE_KEY or PRIVATE_KEY_PATH, as for the app; GHE_HOST for GitHub Enterprise Server)";

/**
 * One reminder sweep over every installation, for cron or serverless
 * deployments that keep no timer. With REDIS_URL, it takes the same lock as
 * the app's timer, so the two never sweep at once. Its output is JSON; only
 * its errors are text, in `--lang` (English by default).
 */
export async function sweep(argv: string[], io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { language, rest } = langOption(argv);
  const m = messagesOf(cliMessages, language ?? "en");
  if (language === null) throw new UsageError(`${m.langInvalid}\n${SWEEP_USAGE}`);
  if (rest.length > 0) throw new UsageError(`${m.sweepNoArguments}\n${SWEEP_USAGE}`);
  const appId = env.APP_ID;
  const privateKey = env.PRIVATE_KEY ?? (env.PRIVATE_KEY_PATH ? await readFile(env.PRIVATE_KEY_PATH, "utf8").catch(() => undefined) : undefined);
  if (!appId || !privateKey) throw new UsageError(`${m.sweepNeedsKey}\n${SWEEP_USAGE}`);
  const baseUrl = env.GHE_HOST ? `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}/api/v3` : undefined;
  const probot = new Probot({ appId, privateKey: privateKey.replace(/\\n/g, "\n"), baseUrl, logLevel: "warn" });
  const coordinator = await createCoordinator({ redisUrl: env.REDIS_URL });
  try {
    const runtime = createRuntime(probot, { coordinator });
    // Probot 14 makes its logger on first use (the first auth), so it is looked up only then.
    const log = { info: (obj: object, msg: string) => probot.log.info(obj, msg), warn: (obj: object, msg: string) => probot.log.warn(obj, msg) };
    const result = await coordinator.runExclusive("reminders-sweep", 30 * 60 * 1000, () => sweepAll((id) => probot.auth(id), runtime, log));
    io.out(JSON.stringify(result ?? { skipped: "another sweep is running" }));
    return 0;
  } finally {
    await coordinator.close();
  }
}

/** `--lang <en|ja>` (or `--lang=<…>`) and whatever else was given; language null when the value is not a language. */
function langOption(argv: readonly string[]): { language: Language | null; rest: string[] } {
  const rest: string[] = [];
  let language: Language | null = "en";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg === "--lang" ? argv[++i] : arg.startsWith("--lang=") ? arg.slice("--lang=".length) : undefined;
    if (arg === "--lang" || value !== undefined) language = isLanguage(value) ? value : null;
    else rest.push(arg);
  }
  return { language, rest };
}
