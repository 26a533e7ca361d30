import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";

// Built once: constructing the GFM extensions took a quarter of a parse in profiles.
const extensions = [gfm()];
const mdastExtensions = [gfmFromMarkdown()];

/** GitHub-flavoured markdown (task lists, tables) to mdast. */
export function parseGfm(text: string): Root {
  return fromMarkdown(text, { extensions, mdastExtensions });
}

const plainCache = new Map<string, string>();

/** Markdown reduced to its words, one line: how checkbox labels compare. Memoized (labels repeat on every body). */
export function plainText(markdown: string): string {
  let plain = plainCache.get(markdown);
  if (plain === undefined) {
    plain = toString(fromMarkdown(markdown)).replace(/\s+/g, " ").trim();
    if (plainCache.size >= 5_000) plainCache.clear();
    plainCache.set(markdown, plain);
  }
  return plain;
}
