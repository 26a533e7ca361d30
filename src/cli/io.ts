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
