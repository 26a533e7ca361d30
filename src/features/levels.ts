import { languageOf } from "../config/setup.js";
import { messagesOf } from "../i18n/index.js";
import { commandMessages } from "../i18n/messages/commands.js";
import { levels as levelsCatalog } from "../i18n/messages/levels.js";
import { parseLevelCommand } from "../postmortem/levels.js";
import { quote } from "../postmortem/text.js";
import type { Runtime } from "../runtime/runtime.js";
import type { CommandSpec } from "./commands.js";
import { reconcilePostmortem } from "./postmortem.js";

/**
 * `/postmortem level <level> <reason>`: re-evaluates the incident's level. The
 * evaluation (level, who, when, why) goes into the status comment's hidden
 * state and the level into an `evaluated: <level>` label, through the
 * reconciler, which then applies that level's rules.
 */
export function levelCommand(runtime: Runtime): CommandSpec {
  return {
    name: "level",
    usage: "/postmortem level <level> <reason…>",
    description: messagesOf(levelsCatalog, "en").commandDescription,
    run: async ({ octokit, installationId, owner, repo, issueNumber, sender, args }) => {
      const setup = await runtime.files.setup(octokit, installationId, { owner, repo });
      const language = languageOf(setup);
      const m = messagesOf(levelsCatalog, language);
      if (!setup.ok) return { ok: false, reply: m.commandBroken };
      const parsed = parseLevelCommand(args, setup.setup);
      if (!parsed.ok) {
        const names = parsed.names.map((n) => quote(n)).join(", ");
        if (parsed.error === "no-level") return { ok: false, reply: m.commandUsage(names) };
        if (parsed.error === "unknown-level") return { ok: false, reply: m.commandUnknown(quote(args[0] ?? ""), names) };
        return { ok: false, reply: m.commandNoReason };
      }
      const evaluation = { level: parsed.level.name, by: sender, at: runtime.now().toISOString(), reason: parsed.reason };
      const result = await reconcilePostmortem(octokit, runtime, { installationId, owner, repo, issueNumber }, { kind: "evaluate-level", evaluation, actor: sender });
      if (result.outcome === "skipped") return { ok: false, reply: messagesOf(commandMessages, language).notAPostmortem(result.reason) };
      // The 🚀 reaction and the status comment say it is done: no reply costs a call.
      return { ok: true };
    },
  };
}
