/**
 * User text echoed back by the app goes through these, so nothing the app
 * writes can @mention a person or team, or break out of its formatting.
 */

/** Breaks `@name` and `@org/team` mentions without changing how the text reads. */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}

/** A short inline code span of user text: one line, clipped, mentions neutralized. */
export function quote(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  const clipped = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return `\`${neutralizeMentions(clipped.replace(/`/g, "'"))}\``;
}
