/**
 * User text echoed back by the app goes through these, so nothing the app
 * writes can @mention a person or team, or break out of its formatting.
 */

/** Breaks `@name` and `@org/team` mentions without changing how the text reads. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}

/**
 * User text for Markdown outside code spans (titles, item text, reasons,
 * summaries, notes): mentions broken, and no HTML can start in it, so `<!--`
 * cannot hide the rest of a comment and a copied hidden marker is plain text.
 */
export function inert(text: string): string {
  return neutralizeMentions(text).replace(/</g, "&lt;").replace(/-->/g, "--&gt;");
}

/** A short inline code span of user text: one line, clipped, mentions neutralized (HTML is literal in a code span). */
export function quote(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  const clipped = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return `\`${neutralizeMentions(clipped.replace(/`/g, "'"))}\``;
}

/** Hidden JSON inside an HTML comment: `--` and `<` cannot occur, so it can neither end the comment nor look like another marker. */
export function hiddenJson(value: unknown): string {
  return JSON.stringify(value).replace(/--/g, "-\\u002d").replace(/</g, "\\u003c");
}

/** The text after `prefix` on the LAST line that starts with it (where the app writes its markers), up to ` -->`. */
export function lastMarkerAtLineStart(body: string, prefix: string): string | null {
  return markersAtLineStart(body, prefix).at(-1) ?? null;
}

/** Every marker payload written at a line start, in order; markers inside text are never read. */
export function markersAtLineStart(body: string, prefix: string): string[] {
  const found: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    if (!line.startsWith(prefix)) continue;
    const end = line.indexOf(" -->", prefix.length);
    if (end >= 0) found.push(line.slice(prefix.length, end));
  }
  return found;
}
