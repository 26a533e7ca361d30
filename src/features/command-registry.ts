import { reasonLabel } from "../postmortem/reading-list.js";
import type { Runtime } from "../runtime/runtime.js";
import { defaultConfig, type Config } from "../config/schema.js";
import type { RepoRef } from "../config/setup.js";
import type { Octokit } from "../github/octokit.js";
import { messagesOf } from "../i18n/index.js";
import { security } from "../i18n/messages/security.js";
import { helpText, type CommandResult, type CommandSpec } from "./commands.js";
import { readingLabels, reconcilePostmortem } from "./postmortem.js";
import { isCurator, type ReadingList } from "./reading-list.js";
import { metricsReportCommand, metricsRepoOf, type MetricsIssueDeps } from "./metrics-issue.js";
import { levelCommand } from "./levels.js";

/** Every `/postmortem` command. The help text and the README's table come from this list. */
export function commandRegistry(runtime: Runtime, readingList: ReadingList, metrics: MetricsIssueDeps): CommandSpec[] {
  const registry: CommandSpec[] = [
    {
      name: "help",
      usage: "/postmortem help",
      description: "Show this list.",
      run: async () => ({ ok: true, reply: helpText(registry) }),
    },
    {
      name: "check",
      usage: "/postmortem check",
      description: "Check the postmortem again now and update its status comment.",
      run: async ({ octokit, installationId, owner, repo, issueNumber, sender }) => {
        const result = await reconcilePostmortem(octokit, runtime, { installationId, owner, repo, issueNumber }, { kind: "event", actor: sender });
        return result.outcome === "skipped" ? { ok: false, reply: `This issue is not a postmortem (${result.reason}).` } : { ok: true };
      },
    },
    {
      name: "publish",
      usage: "/postmortem publish",
      description: "Publish the reviewed postmortem: file each action item as a follow-up issue (when `follow_ups.publish_on: command`).",
      run: async ({ octokit, installationId, owner, repo, issueNumber, sender }) => {
        const setup = await runtime.files.setup(octokit, installationId, { owner, repo });
        const config = setup.ok ? setup.setup.config : setup.config;
        if (config && config.follow_ups.publish_on !== "command") {
          const how =
            config.follow_ups.publish_on === "label"
              ? `by adding the \`${config.follow_ups.published_label}\` label`
              : "by closing the postmortem as completed";
          return { ok: false, reply: `This repository publishes postmortems ${how} (\`follow_ups.publish_on: ${config.follow_ups.publish_on}\`), not by command.` };
        }
        const result = await reconcilePostmortem(octokit, runtime, { installationId, owner, repo, issueNumber }, { kind: "publish-command", actor: sender });
        if (result.outcome === "skipped") return { ok: false, reply: `This issue is not a postmortem (${result.reason}).` };
        if (result.outcome !== "ready" || result.publishRefused) return { ok: false, reply: "Publishing was refused: the postmortem still has problems. The status comment lists them." };
        return { ok: true };
      },
    },
    {
      name: "recommend",
      usage: "/postmortem recommend <reason> [note…]",
      description: "Add this postmortem to the reading list, for a reason (`lessons`, `architecture`, `response` by default) with an optional note. Curators only, when `reading_list.curators` is set.",
      run: async ({ octokit, installationId, owner, repo, issueNumber, sender, args }) => {
        const setup = await runtime.files.setup(octokit, installationId, { owner, repo });
        if (!setup.ok) return { ok: false, reply: "The postmortem setup of this repository is broken; the status comment says where." };
        const config = setup.setup.config;
        const [reason, ...note] = args;
        const reasons = Object.keys(config.reading_list.reasons);
        if (reason !== undefined && !reasons.includes(reason.toLowerCase())) {
          return { ok: false, reply: `\`${reason.replace(/`/g, "")}\` is not a reason. Use one of ${reasons.map((r) => `\`${r}\``).join(", ")}.` };
        }
        if (!(await isCurator(octokit, config, owner, sender))) return { ok: false, reply: "Only the reading-list curators can recommend postmortems." };
        const labels = [config.reading_list.label, ...(reason ? [reasonLabel(config, reason.toLowerCase())] : [])];
        await runtime.labels.ensure(octokit, installationId, owner, repo, readingLabels(config));
        await octokit.rest.issues.addLabels({ owner, repo, issue_number: issueNumber, labels });
        const outcome = await readingList.reconcileEntry(octokit, { installationId, owner, repo, issueNumber }, { by: sender, note: note.join(" ") });
        if (outcome === "draft" || outcome === "not-postmortem") {
          for (const name of labels) await octokit.rest.issues.removeLabel({ owner, repo, issue_number: issueNumber, name }).catch(() => undefined);
          return { ok: false, reply: outcome === "draft" ? "This postmortem is not complete yet: fix the problems in its status comment first." : "Only postmortems can be recommended." };
        }
        return { ok: true };
      },
    },
    {
      name: "unrecommend",
      usage: "/postmortem unrecommend",
      description: "Take this postmortem off the reading list.",
      run: async ({ octokit, installationId, owner, repo, issueNumber, sender }) => {
        const setup = await runtime.files.setup(octokit, installationId, { owner, repo });
        if (!setup.ok) return { ok: false, reply: "The postmortem setup of this repository is broken; the status comment says where." };
        const config = setup.setup.config;
        if (!(await isCurator(octokit, config, owner, sender))) return { ok: false, reply: "Only the reading-list curators can change the reading list." };
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
      usage: "/postmortem reading-session [N] [@people…]",
      description: "Open an onboarding issue with a checklist of N recommended postmortems (default `reading_list.session_size`), balanced across reasons and new to the people it is for (you, or those named).",
      run: async ({ octokit, installationId, owner, repo, sender, args }) => {
        const refusal = await needsMaintain(octokit, installationId, { owner, repo }, sender, "reading_list");
        if (refusal) return refusal;
        const size = args.find((a) => /^\d+$/.test(a));
        const people = args.filter((a) => /^@[A-Za-z0-9-]+$/.test(a)).map((a) => a.slice(1));
        const result = await readingList.openSession(octokit, installationId, { owner, repo }, people.length > 0 ? people : [sender], size ? Math.min(50, Number(size)) : null);
        if ("error" in result) return { ok: false, reply: `No reading session was opened: ${result.error}.` };
        return { ok: true, reply: `Opened reading session #${result.issueNumber} with ${result.picked} postmortems.` };
      },
    },
    {
      name: "rebuild-reading-list",
      usage: "/postmortem rebuild-reading-list",
      description: "Rebuild the reading list from every recommended postmortem of the installation's repositories in this organization.",
      run: async ({ octokit, installationId, owner, repo, sender }) => {
        const refusal = await needsMaintain(octokit, installationId, { owner, repo }, sender, "reading_list");
        if (refusal) return refusal;
        const repositories = (await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 }))
          .filter((r) => r.owner.login.toLowerCase() === owner.toLowerCase())
          .map((r) => ({ owner: r.owner.login, repo: r.name }));
        const result = await readingList.rebuild(octokit, installationId, { owner, repo }, repositories, sender);
        const texts = messagesOf(security, (await configOf(installationId, octokit, { owner, repo }))?.language ?? "en");
        const notes = [
          result.heldBack > 0 ? texts.heldBack(result.heldBack, "reading_list.allow_public") : "",
          result.unreadable > 0 ? texts.sourcesUnreadable(result.unreadable) : "",
        ].filter(Boolean);
        return { ok: true, reply: [`The reading list was rebuilt from ${repositories.length - result.unreadable} repositories: ${result.entries} postmortems.`, ...notes].join(" ") };
      },
    },
    {
      name: "similar",
      usage: "/postmortem similar",
      description: "List up to 3 earlier postmortems of this organization most like this one (shared service, same trigger or contributing factor, similar words) in its status comment; never one that readers of this repository may not see.",
      run: async ({ octokit, installationId, owner, repo, issueNumber }) => {
        const result = await reconcilePostmortem(octokit, runtime, { installationId, owner, repo, issueNumber }, { kind: "similar-command" });
        if (result.outcome === "skipped") return { ok: false, reply: `This issue is not a postmortem (${result.reason}).` };
        if (result.outcome === "error") return { ok: false, reply: "The postmortem setup of this repository is broken; the status comment says where." };
        return { ok: true };
      },
    },
    levelCommand(runtime),
    gathered(metricsReportCommand(metrics), "metrics"),
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
