import { readFile } from "node:fs/promises";
import { isLanguage, messagesOf, type Language } from "../i18n/index.js";
import { cliMessages } from "../i18n/messages/cli.js";

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

/** Bad arguments, or a file the command cannot use: exit 2 with this message. */
export class UsageError extends Error {}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/**
 * The `--lang` an argument list gives (`--lang ja` or `--lang=ja`), before the
 * command parses it: for texts written before a command knows its language
 * (an unknown command, an unknown option). Null when absent or not a language.
 */
export function languageInArgs(argv: readonly string[]): Language | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    const value = arg === "--lang" ? argv[i + 1] : arg.startsWith("--lang=") ? arg.slice("--lang=".length) : undefined;
    if (value !== undefined) return isLanguage(value) ? value : null;
  }
  return null;
}

/** A file the command was given, as text; a UsageError in `language` when it cannot be read. */
export async function readText(path: string, language: Language): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(messagesOf(cliMessages, language).cannotRead(path, (error as Error).message, typeof code === "string" ? code : null));
  }
}
