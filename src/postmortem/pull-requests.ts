import type { Visibility } from "../github/postmortem-source.js";
import { formatList } from "../i18n/format.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { pullRequests as catalog } from "../i18n/messages/pull-requests.js";
import { escapeLink } from "./reading-list.js";
import { pathMatches, visibleFrom, type SimilarDoc } from "./similarity.js";
import { neutralizeMentions, quote } from "./text.js";

/** Finds the app's one comment on a pull request. */
export const PULL_REQUEST_MARKER = "<!-- postmortem-bot:pull-request -->";

export interface RelatedPostmortem {
  ref: string;
  title: string;
  url: string;
  /** The named paths the pull request touches. */
  paths: string[];
  /** Its open follow-ups in the pull request's repository. */
  openFollowUps: Array<{ ref: string; text: string }>;
}

/** Most postmortems listed in one comment (newest first). */
const MAX_LISTED = 10;

/**
 * The postmortems a pull request's changed files touch: those naming a path (field or follow-up
 * link) that a changed file is under, and that readers of the pull request's repository may see
 * (visibleFrom: a public pull request's repository shows only public postmortems, …).
 */
export function relatedPostmortems(files: readonly string[], docs: Iterable<SimilarDoc>, reader: { repo: string; visibility: Visibility | undefined }): RelatedPostmortem[] {
  const { repo } = reader;
  const related: Array<RelatedPostmortem & { createdAt: string }> = [];
  for (const doc of docs) {
    if (doc.paths.length === 0 || !visibleFrom(reader, doc)) continue;
    const touched = doc.paths.filter((named) => files.some((file) => pathMatches(file, named)));
    if (touched.length === 0) continue;
    const here = `${repo.toLowerCase()}#`;
    const openFollowUps = doc.followUps.filter((f) => f.open && f.ref.toLowerCase().startsWith(here)).map(({ ref, text }) => ({ ref, text }));
    related.push({ ref: doc.ref, title: doc.title, url: doc.url, paths: touched, openFollowUps, createdAt: doc.createdAt });
  }
  related.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.ref.localeCompare(b.ref)));
  return related.slice(0, MAX_LISTED).map(({ createdAt: _createdAt, ...rest }) => rest);
}

/** The comment's text, or null when no postmortem is related (the comment then goes). */
export function renderPullRequestComment(related: RelatedPostmortem[], language: Language): string | null {
  if (related.length === 0) return null;
  const m = messagesOf(catalog, language);
  const lines = [PULL_REQUEST_MARKER, m.heading, "", m.intro(related.length), ""];
  for (const pm of related) {
    const paths = formatList(pm.paths.slice(0, 5).map((p) => quote(p, 80)), language);
    lines.push(`- [${escapeLink(neutralizeMentions(pm.title.replace(/[\r\n]+/g, " ")))}](${pm.url}) (${quote(pm.ref)}) — ${m.paths(paths)}`);
    if (pm.openFollowUps.length === 0) lines.push(`  - ${m.noOpenFollowUps}`);
    else {
      lines.push(`  - ${m.openFollowUps}`);
      for (const f of pm.openFollowUps.slice(0, 10)) lines.push(`    - ${f.ref} ${quote(f.text, 120)}`);
    }
  }
  lines.push("", m.footer);
  return lines.join("\n");
}
