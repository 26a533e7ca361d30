import { lines, outline } from "../form/blocks.js";
import type { Octokit } from "../github/octokit.js";
import { localized, messagesOf, type Language, type Localized } from "../i18n/index.js";
import { commandMessages } from "../i18n/messages/commands.js";

/** One `/postmortem <name> [args]` line of a comment. */
export interface Command {
  name: string;
  args: string[];
}

/**
 * `/postmortem`, then whitespace (a full-width space U+3000 too, as a Japanese
 * keyboard types it) and the verb; a full-width slash `／` is read as `/`.
 */
const COMMAND_LINE = /^ {0,3}[/／]postmortem(?:[ \t\u3000]+(.*))?$/;

/**
 * The commands in a comment: lines that start with `/postmortem`, outside
 * fenced code and block quotes (a quoted or pasted command is not an order).
 * The verb is lower-cased and NFKC-normalized (full-width `ｃｈｅｃｋ` is
 * `check`); arguments are split on any whitespace, U+3000 included, and kept
 * as written.
 */
export function parseCommands(body: string): Command[] {
  const fences = outline(body).fences;
  const commands: Command[] = [];
  for (const line of lines(body)) {
    const text = body.slice(line.start, line.end);
    if (fences.some((f) => line.start >= f.start && line.start < f.end)) continue;
    const match = COMMAND_LINE.exec(text);
    if (!match) continue;
    const [name = "help", ...args] = (match[1] ?? "").trim().split(/\s+/).filter(Boolean);
    commands.push({ name: name.normalize("NFKC").toLowerCase(), args });
  }
  return commands;
}

/** What a command handler gets: the issue it was written on, who wrote it, and its arguments. */
export interface CommandContext {
  octokit: Octokit;
  installationId: number;
  owner: string;
  repo: string;
  issueNumber: number;
  sender: string;
  args: string[];
}

/** A handler's answer: done (🚀), or failed (😕) with a reply saying why. */
export type CommandResult = { ok: true; reply?: string } | { ok: false; reply: string };

export interface CommandSpec {
  name: string;
  /** Other names the command answers to in every language setting (Japanese ones: `公開`, `チェック`, …). */
  aliases?: readonly string[];
  usage: string | Localized;
  description: string | Localized;
  run: (context: CommandContext) => Promise<CommandResult>;
}

/** The command a line names, by its name or one of its aliases; undefined when none. */
export function findCommand<S extends CommandSpec>(registry: readonly S[], name: string): S | undefined {
  const wanted = name.normalize("NFKC").toLowerCase();
  return registry.find((c) => c.name === wanted) ?? registry.find((c) => (c.aliases ?? []).some((a) => a.normalize("NFKC").toLowerCase() === wanted));
}

/** The help text, from the same registry that dispatches, so they cannot disagree. */
export function helpText(registry: readonly CommandSpec[], language: Language = "en"): string {
  const m = messagesOf(commandMessages, language);
  return [
    m.helpIntro,
    "",
    m.helpHeader,
    ...registry.map((c) => m.helpRow(localized(c.usage, language), [...(c.aliases ?? [])], localized(c.description, language))),
  ].join("\n");
}
