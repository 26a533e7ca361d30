import { reasonLabel } from "../postmortem/reading-list.js";
import type { Runtime } from "../runtime/runtime.js";
import { defaultConfig, type Config } from "../config/schema.js";
import { languageOf, type RepoRef } from "../config/setup.js";
import { removeLabel } from "../github/labels.js";
import type { Octokit } from "../github/octokit.js";
import { inEveryLanguage, messagesOf, type Language } from "../i18n/index.js";
import { commandMessages } from "../i18n/messages/commands.js";
import { levels as levelsCatalog } from "../i18n/messages/levels.js";
import { security } from "../i18n/messages/security.js";
import { helpText, type CommandResult, type CommandSpec } from "./commands.js";
import { readingLabels, reconcilePostmortem } from "./postmortem.js";
import { isCurator, type ReadingList } from "./reading-list.js";
import { METRICS_ISSUE_TITLE, metricsReportCommand, metricsRepoOf, type MetricsIssueDeps } from "./metrics-issue.js";
import { levelCommand } from "./levels.js";

/**
 * The Japanese names of the commands (docs/commands.md). They work whatever
 * `language` says: a Japanese writer in an English-configured repository is
 * understood too; the reply follows the config.
 */
export const COMMAND_ALIASES: Readonly<Record<string, readonly string[]>> = {
  help: ["ヘルプ"],
  check: ["チェック"],
  publish: ["公開"],
  recommend: ["おすすめ", "推薦"],
  unrecommend: ["おすすめ解除", "推薦取り消し"],
  "reading-session": ["輪読会"],
  "rebuild-reading-list": ["再構築"],
  similar: ["類似"],
  level: ["レベル"],
  report: ["レポート"],
};

/**
 * Japanese words for the built-in reasons of `/postmortem recommend`: they stand
 * for the key only when the config has that key and no reason of the word itself.
 */
export const REASON_ALIASES: Readonly<Record<string, string>> = {
  学び: "lessons",
  教訓: "lessons",
  アーキテクチャ: "architecture",
  設計: "architecture",
  対応: "response",
  障害対応: "response",
};

/** The reason key an argument names: the key itself (any case), or a Japanese word for a built-in one. */
export function reasonKey(config: Config, argument: string): string {
  const reasons = Object.keys(config.reading_list.reasons);
  const key = argument.normalize("NFKC").toLowerCase();
  if (reasons.includes(key)) return key;
  const aliased = REASON_ALIASES[key];
  return aliased !== undefined && reasons.includes(aliased) ? aliased : key;
}

/** The language of a repository's config; a broken setup without a config answers in English. */
export async function commandLanguage(runtime: Pick<Runtime, "files">, octokit: Octokit, installationId: number, home: RepoRef): Promise<Language> {
  return languageOf(await runtime.files.setup(octokit, installationId, home));
}

/** Every `/postmortem` command. The help text and the README's table come from this list. */
export function commandRegistry(runtime: Runtime, readingList: ReadingList, metrics: MetricsIssueDeps): CommandSpec[] {
  const every = (pick: (m: (typeof commandMessages.byLanguage)["en"], language: Language) => string) => inEveryLanguage(commandMessages, pick);
  const textsFor = async (octokit: Octokit, installationId: number, home: RepoRef) => messagesOf(commandMessages, await commandLanguage(runtime, octokit, installationId, home));
  const level = levelCommand(runtime);
  const report = metricsReportCommand(metrics);
  const registry: CommandSpec[] = [
    {
      name: "help",
      aliases: COMMAND_ALIASES.help,
      usage: "/postmortem help",
      description: every((m) => m.helpDescription),
      run: async ({ octokit, installationId, owner, repo }) => ({ ok: true, reply: helpText(registry, await commandLanguage(runtime, octokit, installationId, { owner, repo })) }),
    },
    {
      name: "check",
      aliases: COMMAND_ALIASES.check,
      usage: "/postmortem check",
      description: every((m) => m.checkDescription),
      run: async ({ octokit, installationId, owner, repo, issueNumber, sender }) => {
        const result = await reconcilePostmortem(octokit, runtime, { installationId, owner, repo, issueNumber }, { kind: "event", actor: sender });
        if (result.outcome !== "skipped") return { ok: true };
        return { ok: false, reply: (await textsFor(octokit, installationId, { owner, repo })).notAPostmortem(result.reason) };
      },
    },
    {
      name: "publish",
      aliases: COMMAND_ALIASES.publish,
      usage: "/postmortem publish",
      description: every((m) => m.publishDescription),
      run: async ({ octokit, installationId, owner, repo, issueNumber, sender }) => {
        const setup = await runtime.files.setup(octokit, installationId, { owner, repo });
        const config = setup.ok ? setup.setup.config : setup.config;
        const m = messagesOf(commandMessages, languageOf(setup));
        if (config && config.follow_ups.publish_on !== "command") {
          const how = config.follow_ups.publish_on === "label" ? m.publishByLabel(config.follow_ups.published_label) : m.publishByClose;
          return { ok: false, reply: m.publishNotByCommand(how, config.follow_ups.publish_on) };
        }
        const result = await reconcilePostmortem(octokit, runtime, { installationId, owner, repo, issueNumber }, { kind: "publish-command", actor: sender });
        if (result.outcome === "skipped") return { ok: false, reply: m.notAPostmortem(result.reason) };
        if (result.outcome !== "ready" || result.publishRefused) return { ok: false, reply: m.publishRefused };
        return { ok: true };
      },
    },
    {
      name: "recommend",
      aliases: COMMAND_ALIASES.recommend,
      usage: every((m) => m.recommendUsage),
      description: every((m) => m.recommendDescription),
      run: async ({ octokit, installationId, owner, repo, issueNumber, sender, args }) => {
        const setup = await runtime.files.setup(octokit, installationId, { owner, repo });
        if (!setup.ok) return { ok: false, reply: messagesOf(commandMessages, languageOf(setup)).setupBroken };
        const config = setup.setup.config;
        const m = messagesOf(commandMessages, config.language);
        const [given, ...note] = args;
        const reasons = Object.keys(config.reading_list.reasons);
        const reason = given === undefined ? undefined : reasonKey(config, given);
        if (given !== undefined && reason !== undefined && !reasons.includes(reason)) return { ok: false, reply: m.notAReason(given.replace(/`/g, ""), reasons) };
        if (!(await isCurator(octokit, config, owner, sender))) return { ok: false, reply: m.onlyCuratorsRecommend };
        const labels = [config.reading_list.label, ...(reason ? [reasonLabel(config, reason)] : [])];
        await runtime.labels.ensure(octokit, installationId, owner, repo, readingLabels(config));
        await octokit.rest.issues.addLabels({ owner, repo, issue_number: issueNumber, labels });
        const outcome = await readingList.reconcileEntry(octokit, { installationId, owner, repo, issueNumber }, { by: sender, note: note.join(" ") });
        if (outcome === "draft" || outcome === "not-postmortem") {
          for (const name of labels) await removeLabel(octokit, { owner, repo, issue_number: issueNumber }, name);
          return { ok: false, reply: outcome === "draft" ? m.recommendDraft : m.onlyPostmortems };
        }
        return { ok: true };
      },
    },
    {
      name: "unrecommend",
      aliases: COMMAND_ALIASES.unrecommend,
      usage: "/postmortem unrecommend",
      description: every((m) => m.unrecommendDescription),
      run: async ({ octokit, installationId, owner, repo, issueNumber, sender }) => {
        const setup = await runtime.files.setup(octokit, installationId, { owner, repo });
        if (!setup.ok) return { ok: false, reply: messagesOf(commandMessages, languageOf(setup)).setupBroken };
        const config = setup.setup.config;
        if (!(await isCurator(octokit, config, owner, sender))) return { ok: false, reply: messagesOf(commandMessages, config.language).onlyCuratorsChange };
        const { data } = await octokit.rest.issues.get({ owner, repo, issue_number: issueNumber });
        const reading = readingLabels(config).map((l) => l.name.toLowerCase());
        const current = data.labels.map((l) => (typeof l === "string" ? l : (l.name ?? "")));
        const kept = current.filter((l) => !reading.includes(l.toLowerCase()));
        if (kept.length !== current.length) await octokit.rest.issues.setLabels({ owner, repo, issue_number: issueNumber, labels: kept });
        await readingList.reconcileEntry(octokit, { installationId, owner, repo, issueNumber });
        return { ok: true };
      },
    },
    {
      name: "reading-session",
      aliases: COMMAND_ALIASES["reading-session"],
      usage: every((m) => m.sessionUsage),
      description: every((m) => m.sessionDescription),
      run: async ({ octokit, installationId, owner, repo, sender, args }) => {
        const refusal = await needsMaintain(octokit, installationId, { owner, repo }, sender, "reading_list");
        if (refusal) return refusal;
        const m = await textsFor(octokit, installationId, { owner, repo });
        // Full-width digits and `＠` read as their ASCII forms; `5件` is 5.
        const normalized = args.map((a) => a.normalize("NFKC"));
        const size = normalized.map((a) => /^(\d+)件?$/.exec(a)?.[1]).find((s) => s !== undefined);
        const people = normalized.filter((a) => /^@[A-Za-z0-9-]+$/.test(a)).map((a) => a.slice(1));
        const result = await readingList.openSession(octokit, installationId, { owner, repo }, people.length > 0 ? people : [sender], size ? Math.min(50, Number(size)) : null);
        if ("error" in result) return { ok: false, reply: m.sessionNotOpened(result.error) };
        return { ok: true, reply: m.sessionOpened(result.issueNumber, result.picked) };
      },
    },
    {
      name: "rebuild-reading-list",
      aliases: COMMAND_ALIASES["rebuild-reading-list"],
      usage: "/postmortem rebuild-reading-list",
      description: every((m) => m.rebuildDescription),
      run: async ({ octokit, installationId, owner, repo, sender }) => {
        const refusal = await needsMaintain(octokit, installationId, { owner, repo }, sender, "reading_list");
        if (refusal) return refusal;
        const repositories = (await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 }))
          .filter((r) => r.owner.login.toLowerCase() === owner.toLowerCase())
          .map((r) => ({ owner: r.owner.login, repo: r.name }));
        const result = await readingList.rebuild(octokit, installationId, { owner, repo }, repositories, sender);
        const language = await commandLanguage(runtime, octokit, installationId, { owner, repo });
        const texts = messagesOf(security, language);
        const notes = [
          result.heldBack > 0 ? texts.heldBack(result.heldBack, "reading_list.allow_public") : "",
          result.unreadable > 0 ? texts.sourcesUnreadable(result.unreadable) : "",
        ].filter(Boolean);
        return { ok: true, reply: messagesOf(commandMessages, language).rebuilt(repositories.length - result.unreadable, result.entries, notes) };
      },
    },
    {
      name: "similar",
      aliases: COMMAND_ALIASES.similar,
      usage: "/postmortem similar",
      description: every((m) => m.similarDescription),
      run: async ({ octokit, installationId, owner, repo, issueNumber }) => {
        const result = await reconcilePostmortem(octokit, runtime, { installationId, owner, repo, issueNumber }, { kind: "similar-command" });
        if (result.outcome !== "skipped" && result.outcome !== "error") return { ok: true };
        const m = await textsFor(octokit, installationId, { owner, repo });
        return { ok: false, reply: result.outcome === "skipped" ? m.notAPostmortem(result.reason) : m.setupBroken };
      },
    },
    {
      // Its replies are localized in levels.ts; the help row here.
      ...level,
      aliases: COMMAND_ALIASES.level,
      usage: every((m) => m.levelUsage),
      description: inEveryLanguage(levelsCatalog, (m) => m.commandDescription),
    },
    gathered(
      {
        // Its replies are localized in metrics-issue.ts; the names and help row here.
        ...report,
        aliases: COMMAND_ALIASES.report,
        description: every((m) => m.reportDescription(METRICS_ISSUE_TITLE)),
      },
      "metrics",
    ),
  ];
  return registry;

  async function configOf(installationId: number, octokit: Octokit, home: RepoRef): Promise<Config | null> {
    const setup = await runtime.files.setup(octokit, installationId, home);
    return setup.ok ? setup.setup.config : setup.config;
  }

  /**
   * Commands that gather across repositories write into the list or metrics
   * repository: they need maintain or admin there, whatever the caller has here.
   */
  async function needsMaintain(octokit: Octokit, installationId: number, home: RepoRef, sender: string, kind: "reading_list" | "metrics"): Promise<CommandResult | null> {
    const config = (await configOf(installationId, octokit, home)) ?? defaultConfig;
    const where = kind === "reading_list" ? readingList.listRepo(config, home) : metricsRepoOf(home, config);
    if (await runtime.permissions.atLeast(octokit, installationId, where, sender, "maintain")) return null;
    return { ok: false, reply: messagesOf(security, config.language).gatherNeedsMaintain(`\`${where.owner}/${where.repo}\``) };
  }

  function gathered(spec: CommandSpec, kind: "reading_list" | "metrics"): CommandSpec {
    return {
      ...spec,
      run: async (context) => (await needsMaintain(context.octokit, context.installationId, context, context.sender, kind)) ?? spec.run(context),
    };
  }
}
