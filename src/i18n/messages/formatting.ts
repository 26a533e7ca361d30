import { defineCatalog } from "../index.js";

/** Small shared words: how a value that is absent or a count reads. */
export const formatting = defineCatalog(
  "formatting",
  {
    none: "none",
    more: (count: number) => `…and ${count} more`,
  },
  {
    none: "なし",
    more: (count: number) => `…ほか${count}件`,
  },
  { more: [3] },
);
