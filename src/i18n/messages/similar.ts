import { defineCatalog } from "../index.js";

/** The status comment's "similar past postmortems" section. Values arrive quoted (`checkout`) and joined. */
export const similar = defineCatalog(
  "similar",
  {
    heading: "#### Similar past postmortems",
    none: "No earlier postmortem that readers of this repository may see is similar enough.",
    service: (values: string) => `shared service: ${values}`,
    factor: (values: string) => `same trigger or contributing factor: ${values}`,
    text: (terms: string) => `similar words: ${terms}`,
    how: "<sub>Earlier postmortems of this organization, ranked by text similarity (BM25+ over title, summary and causes) and shared fields; a repository sees only postmortems of repositories at least as visible as itself. Updated when the postmortem becomes ready and on `/postmortem similar`.</sub>",
  },
  {
    heading: "#### 似ている過去のポストモーテム",
    none: "このリポジトリの読者に見せられる過去のポストモーテムの中に、よく似たものは見つかりませんでした。",
    service: (values: string) => `共通のサービス: ${values}`,
    factor: (values: string) => `同じトリガー・要因: ${values}`,
    text: (terms: string) => `共通する語句: ${terms}`,
    how: "<sub>この組織の過去のポストモーテムを、文章の類似度（タイトル・概要・原因に対する BM25+）と共通する項目で順位付けしています。表示するのは、このリポジトリと同じかそれ以上に公開されているリポジトリのものだけです。ポストモーテムが完成したときと `/postmortem similar` で更新されます。</sub>",
  },
  { service: ["`checkout`, `payments`"], factor: ["`deploy`"], text: ["`pool`, `timeout`"] },
);
