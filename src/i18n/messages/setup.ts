import { defineCatalog } from "../index.js";

/**
 * Problems with the files an org maintains (the config, the form): shown in the
 * status comment of every postmortem they break, and by `lint` and `init`. Each
 * says what is wrong at the file and line given beside it.
 *
 * The `rule*` texts are the config schema's own checks (src/config/schema.ts
 * reads their English); `zod*` are zod's checks without a text of ours, whose
 * English is zod's own (English problems keep zod's text; only the Japanese is
 * read, through a per-parse error map in src/config/load.ts).
 */
export const setupMessages = defineCatalog(
  "setup",
  {
    // The YAML itself.
    invalidYaml: (detail: string, _code: string) => `invalid YAML: ${detail}`,
    tooManyAliases: (detail: string, max: number) => `invalid YAML: ${detail} (aliases may expand to at most ${max} nodes)`,
    fileTooLarge: (kb: number, maxKb: number) => `the file is ${kb} KB; at most ${maxKb} KB is read. Make it smaller.`,

    // The config file.
    configNotMapping: "the config must be a YAML mapping of keys to values",
    theConfig: "the config",
    unknownKey: (where: string | null, keys: string) => `${where === null ? "unknown key" : `unknown key under ${where}:`} ${keys}; see schema/postmortem.schema.json for the keys`,
    mustBe: (where: string, expected: string, actual: string | null) => `${where} must be ${article(expected)}${actual === null ? "" : `, not ${actual}`}`,
    aList: "a list",
    empty: "empty",
    aMapping: "a mapping",
    aValue: (type: string, json: string) => `${article(type)} (${json})`,
    oneOf: (where: string, values: readonly string[]) => `${where} must be one of ${values.join(", ")}`,
    otherIssue: (where: string, message: string) => `${where} ${message}`,

    ruleRepository: "must be a repository as owner/name",
    ruleLogin: "must be a GitHub login",
    ruleTeamHandle: "must be a team handle as @org/team",
    rulePercentage: "must be a percentage above 0 and below 100, such as 99.9",
    ruleWindow: "must be a window such as 30d, 4w or 720h",
    ruleWindowMax: "must be at most 366 days",
    ruleRepeats: (what: "level" | "SLO", name: string, entry: number) => `repeats the ${what} '${name}' (entry ${entry}); each ${what} is listed once`,
    ruleIsoDate: "must be a date written as YYYY-MM-DD",
    ruleRealDate: "must be a real date",
    ruleNoLeadingSpace: "must not start with a space",
    ruleTemplatePath: "must be a repository path to a .yml or .yaml file, without a leading slash",
    ruleZone: "must be an IANA time zone such as Asia/Tokyo or UTC",
    ruleUniqueLevels: "must not repeat a level",
    ruleReasonKey: "reason keys are lowercase letters, digits or '-'",
    ruleTeamKey: "team keys are letters, digits, '.', '_' or '-'",
    ruleCurator: "must be a login or an org/team slug",

    zodTooSmall: (origin: string, minimum: string, inclusive: boolean) =>
      `Too small: expected ${origin} ${SIZED[origin] ? `to have ${inclusive ? ">=" : ">"}${minimum} ${SIZED[origin]}` : `to be ${inclusive ? ">=" : ">"}${minimum}`}`,
    zodTooBig: (origin: string, maximum: string, inclusive: boolean) =>
      `Too big: expected ${origin} ${SIZED[origin] ? `to have ${inclusive ? "<=" : "<"}${maximum} ${SIZED[origin]}` : `to be ${inclusive ? "<=" : "<"}${maximum}`}`,
    zodUnion: (_types: readonly string[]) => "Invalid input",
    zodKey: (_reasons: string) => "Invalid key in record",
    zodOther: (detail: string) => detail,

    // `_extends`.
    extendsCycle: "`_extends` forms a cycle",
    extendsTooDeep: (max: number) => `\`_extends\` goes deeper than ${max} files`,
    extendsUnreadable: (target: string) => `\`_extends: ${target}\` is not 'repo', 'owner/repo' or 'owner/repo:path'`,
    extendsOutside: (target: string, owner: string) => `\`_extends: ${target}\` points outside the ${owner} organization, which this app never reads`,
    extendsMissing: (target: string, file: string) => `\`_extends: ${target}\` names ${file}, which does not exist`,

    // The config against the form (configured levels).
    levelRequiresUnknown: (level: string, entry: string, formFile: string, ids: readonly string[]) =>
      `level '${level}' requires '${entry}', which is neither a field id, a role nor a label of the form ${formFile}; use one of ${ids.map((id) => `'${id}'`).join(", ")}`,
    levelNotSeverity: (level: string, severities: readonly string[], fromConfig: boolean, formFile: string) =>
      `level '${level}' is not a severity of this repository (${severities.join(", ")}, from ${fromConfig ? "'severities'" : `the form ${formFile}`}); a postmortem can only be at a known severity`,
    levelNotOption: (level: string, dropdown: string, options: readonly string[], formFile: string) =>
      `level '${level}' is not among the options of the form's '${dropdown}' dropdown (${options.join(", ")}) in ${formFile}`,

    // The issue form.
    formNotMapping: "an issue form must be a YAML mapping with name, description and body",
    formTopLevel: (key: string) => `top-level '${key}' is required and must be a non-empty string`,
    formBody: "top-level 'body' is required and must be a non-empty list of form elements",
    elementNotMapping: (index: number) => `body[${index}] must be a mapping with 'type' and 'attributes'`,
    elementType: (index: number, type: string) => `body[${index}] has unknown type ${type}; use one of markdown, textarea, input, dropdown, checkboxes`,
    elementAttributes: (index: number, type: string) => `body[${index}] (${type}) needs an 'attributes' mapping`,
    markdownValue: (index: number) => `body[${index}] (markdown) needs a non-empty attributes.value`,
    markdownId: (index: number) => `body[${index}] (markdown) must not have an id`,
    elementLabel: (index: number, type: string) => `body[${index}] (${type}) needs a non-empty attributes.label`,
    elementId: (index: number, id: string) => `body[${index}] id ${id} must contain only letters, digits, '-' and '_'`,
    idTwice: (id: string, firstLine: number) => `id '${id}' is used twice (first at line ${firstLine}); ids must be unique`,
    labelTwice: (label: string, firstLine: number) => `label '${label}' is used twice (first at line ${firstLine}); labels must be unique`,
    noFields: "the form has no answerable fields (only markdown)",
    dropdownOptions: (label: string) => `dropdown '${label}' needs a non-empty attributes.options list`,
    dropdownOption: (label: string, n: number) => `dropdown '${label}' option ${n} must be a non-empty string`,
    dropdownTwice: (label: string, option: string) => `dropdown '${label}' lists option '${option}' twice; options must be distinct`,
    checkboxesOptions: (label: string) => `checkboxes '${label}' needs a non-empty attributes.options list`,
    checkboxesOption: (label: string, n: number) => `checkboxes '${label}' option ${n} needs a non-empty label`,
  },
  {
    invalidYaml: (_detail: string, code: string) => `YAML として読み取れません（${JA_YAML[code] ?? `構文エラー ${code}`}）`,
    tooManyAliases: (_detail: string, max: number) => `YAML として読み取れません（エイリアスを展開すると${max}ノードを超えます）`,
    fileTooLarge: (kb: number, maxKb: number) => `ファイルが ${kb} KB あります。読み込むのは ${maxKb} KB までです。小さくしてください。`,

    configNotMapping: "設定ファイルは「キー: 値」の YAML マッピングで書いてください",
    theConfig: "設定ファイル",
    unknownKey: (where: string | null, keys: string) =>
      `${where === null ? "" : `${where} に `}${keys} というキーはありません。使えるキーは schema/postmortem.schema.json を参照してください`,
    mustBe: (where: string, expected: string, actual: string | null) =>
      actual === null
        ? `${where} がありません。${spaced(JA_TYPES[expected] ?? expected).trimStart()}で書いてください`
        : `${where} は${spaced(JA_TYPES[expected] ?? expected)}にしてください（いまは${spaced(actual)}です）`,
    aList: "リスト",
    empty: "空",
    aMapping: "マッピング",
    aValue: (type: string, json: string) => `${JA_TYPES[type] ?? type} ${json}`,
    oneOf: (where: string, values: readonly string[]) => `${where} は ${values.join("、")} の${values.length === 2 ? "どちらか" : "どれか"}にしてください`,
    otherIssue: (where: string, message: string) => `${where} は${spaced(message).trimEnd()}`,

    ruleRepository: "owner/name の形のリポジトリにしてください",
    ruleLogin: "GitHub のログイン名にしてください",
    ruleTeamHandle: "@org/team の形のチームにしてください",
    rulePercentage: "0より大きく100より小さいパーセント値（99.9 など）にしてください",
    ruleWindow: "30d、4w、720h のような期間にしてください",
    ruleWindowMax: "366日以内にしてください",
    ruleRepeats: (what: "level" | "SLO", name: string, entry: number) =>
      `${entry}番目と同じ${what === "level" ? "レベル" : " SLO "}'${name}' です。同じ${what === "level" ? "レベル" : " SLO "}は1回だけ書いてください`,
    ruleIsoDate: "YYYY-MM-DD の形の日付にしてください",
    ruleRealDate: "実在する日付にしてください",
    ruleNoLeadingSpace: "空白で始めないでください",
    ruleTemplatePath: "リポジトリ内の .yml か .yaml ファイルのパスにしてください（先頭に / は付けません）",
    ruleZone: "Asia/Tokyo や UTC のような IANA のタイムゾーン名にしてください",
    ruleUniqueLevels: "同じレベルを2回書かないでください",
    ruleReasonKey: "理由のキーには英小文字、数字、'-' だけを使ってください",
    ruleTeamKey: "チームのキーには英字、数字、'.'、'_'、'-' だけを使ってください",
    ruleCurator: "ログイン名か org/team の形のチームにしてください",

    zodTooSmall: (origin: string, minimum: string, inclusive: boolean) => jaBound(origin, minimum, inclusive, "min"),
    zodTooBig: (origin: string, maximum: string, inclusive: boolean) => jaBound(origin, maximum, inclusive, "max"),
    zodUnion: (types: readonly string[]) => `${types.map((t) => JA_TYPES[t] ?? t).join("、")} の${types.length === 2 ? "どちらか" : "どれか"}にしてください`,
    zodKey: (reasons: string) => `使えないキーです。${reasons}`,
    zodOther: (detail: string) => `正しい値にしてください（${detail}）`,

    extendsCycle: "`_extends` をたどると同じファイルに戻ってしまいます（循環しています）",
    extendsTooDeep: (max: number) => `\`_extends\` のたどる先が${max}ファイルを超えています`,
    extendsUnreadable: (target: string) => `\`_extends: ${target}\` は 'repo'、'owner/repo'、'owner/repo:path' のどの形でもありません`,
    extendsOutside: (target: string, owner: string) => `\`_extends: ${target}\` は ${owner} の組織の外を指しています。このアプリは組織の外のファイルを読みません`,
    extendsMissing: (target: string, file: string) => `\`_extends: ${target}\` が指す ${file} がありません`,

    levelRequiresUnknown: (level: string, entry: string, formFile: string, ids: readonly string[]) =>
      `レベル '${level}' が必須にしている '${entry}' は、フォーム ${formFile} の項目の id でも、役割の名前でも、ラベルでもありません。${ids.map((id) => `'${id}'`).join("、")} のどれかを使ってください`,
    levelNotSeverity: (level: string, severities: readonly string[], fromConfig: boolean, formFile: string) =>
      `レベル '${level}' は、このリポジトリの重大度（${fromConfig ? "'severities' の" : `フォーム ${formFile} の`}${severities.join("、")}）にありません。ポストモーテムの重大度にできるのは、このどれかだけです`,
    levelNotOption: (level: string, dropdown: string, options: readonly string[], formFile: string) =>
      `レベル '${level}' は、${formFile} のドロップダウン '${dropdown}' の選択肢（${options.join("、")}）にありません`,

    formNotMapping: "Issue フォームは、name・description・body を持つ YAML マッピングで書いてください",
    formTopLevel: (key: string) => `トップレベルの '${key}' は必須です。空でない文字列を書いてください`,
    formBody: "トップレベルの 'body' は必須です。フォームの要素を1つ以上並べたリストにしてください",
    elementNotMapping: (index: number) => `body[${index}] は 'type' と 'attributes' を持つマッピングにしてください`,
    elementType: (index: number, type: string) => `body[${index}] の type ${type} は使えません。markdown、textarea、input、dropdown、checkboxes のどれかにしてください`,
    elementAttributes: (index: number, type: string) => `body[${index}]（${type}）には 'attributes' のマッピングが必要です`,
    markdownValue: (index: number) => `body[${index}]（markdown）には空でない attributes.value が必要です`,
    markdownId: (index: number) => `body[${index}]（markdown）には id を付けられません`,
    elementLabel: (index: number, type: string) => `body[${index}]（${type}）には空でない attributes.label が必要です`,
    elementId: (index: number, id: string) => `body[${index}] の id ${id} には英数字、'-'、'_' だけを使ってください`,
    idTwice: (id: string, firstLine: number) => `id '${id}' が2回使われています（最初は${firstLine}行目）。id は重複できません`,
    labelTwice: (label: string, firstLine: number) => `ラベル '${label}' が2回使われています（最初は${firstLine}行目）。ラベルは重複できません`,
    noFields: "フォームに回答できる項目がありません（markdown だけです）",
    dropdownOptions: (label: string) => `ドロップダウン '${label}' には、空でない attributes.options のリストが必要です`,
    dropdownOption: (label: string, n: number) => `ドロップダウン '${label}' の${n}番目の選択肢は、空でない文字列にしてください`,
    dropdownTwice: (label: string, option: string) => `ドロップダウン '${label}' に選択肢 '${option}' が2回あります。選択肢は重複できません`,
    checkboxesOptions: (label: string) => `チェックボックス '${label}' には、空でない attributes.options のリストが必要です`,
    checkboxesOption: (label: string, n: number) => `チェックボックス '${label}' の${n}番目の選択肢には、空でない label が必要です`,
  },
  {
    invalidYaml: ["Nested mappings are not allowed in compact mappings", "BLOCK_AS_IMPLICIT_KEY"],
    tooManyAliases: ["Excessive alias count indicates a resource exhaustion attack", 100],
    fileTooLarge: [701, 256],
    unknownKey: ["'follow_ups'", "'publsh_on'"],
    mustBe: ["'severities'", "array", "a string (\"SEV1\")"],
    aValue: ["string", '"SEV1"'],
    oneOf: ["'metrics.ttr_from'", ['"started"', '"detected"']],
    otherIssue: ["'timezone'", "must be an IANA time zone such as Asia/Tokyo or UTC"],
    ruleRepeats: ["SLO", "checkout availability", 1],
    zodTooSmall: ["array", "1", true],
    zodTooBig: ["string", "50", true],
    zodUnion: [["string", "false"]],
    zodKey: ["reason keys are lowercase letters, digits or '-'"],
    zodOther: ["Invalid number: must be a multiple of 5"],
    extendsTooDeep: [5],
    extendsUnreadable: ["a b c"],
    extendsOutside: ["other/.github", "acme"],
    extendsMissing: ["base", "acme/base:.github/postmortem.yml"],
    levelRequiresUnknown: ["SEV1", "runbook", "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml", ["summary", "severity", "timeline"]],
    levelNotSeverity: ["SEV5", ["SEV1", "SEV2", "SEV3", "SEV4"], true, "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml"],
    levelNotOption: ["SEV5", "Severity", ["SEV1", "SEV2", "SEV3", "SEV4"], "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml"],
    formTopLevel: ["name"],
    elementNotMapping: [3],
    elementType: [3, '"text"'],
    elementAttributes: [3, "input"],
    markdownValue: [0],
    markdownId: [0],
    elementLabel: [3, "input"],
    elementId: [3, '"impact started"'],
    idTwice: ["detected", 21],
    labelTwice: ["Detected", 21],
    dropdownOptions: ["Severity"],
    dropdownOption: ["Severity", 2],
    dropdownTwice: ["Severity", "SEV1"],
    checkboxesOptions: ["Blameless review"],
    checkboxesOption: ["Blameless review", 1],
  },
);

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** zod's sized origins and their unit, as zod's English names them. */
const SIZED: Record<string, string> = { string: "characters", array: "items", set: "items", file: "bytes", map: "entries" };

/** A bound zod checks (`min`, `max`), as a Japanese reader is asked to meet it: 「50文字以内にしてください」. */
function jaBound(origin: string, bound: string, inclusive: boolean, side: "min" | "max"): string {
  const list = origin === "array" || origin === "set";
  if (origin === "string") {
    if (side === "min") return inclusive ? (bound === "1" ? "空にしないでください" : `${bound}文字以上にしてください`) : `${bound}文字より長くしてください`;
    return inclusive ? `${bound}文字以内にしてください` : `${bound}文字未満にしてください`;
  }
  if (list) {
    const least = inclusive ? Number(bound) : Number(bound) + 1;
    if (side === "min") return least === 1 ? "空にせず、値を1つ以上並べてください" : `値を${least}個以上並べてください`;
    return `値を${inclusive ? bound : Number(bound) - 1}個までにしてください`;
  }
  if (side === "min") return inclusive ? `${bound}以上にしてください` : `${bound}より大きくしてください`;
  return inclusive ? `${bound}以下にしてください` : `${bound}より小さくしてください`;
}

/** A word set in Japanese text: ASCII other than digits at either end gets a space (`は true か false にしてください`, `は1以上`). */
function spaced(word: string): string {
  const ascii = /[\x21-\x2f\x3a-\x7e]/;
  return `${ascii.test(word.charAt(0)) ? " " : ""}${word}${ascii.test(word.charAt(word.length - 1)) ? " " : ""}`;
}

/** zod's type names, as a Japanese reader calls them. */
const JA_TYPES: Record<string, string> = {
  string: "文字列",
  number: "数値",
  int: "整数",
  boolean: "true か false",
  array: "リスト",
  object: "マッピング",
  record: "マッピング",
  null: "null",
  false: "false",
};

/** What each error of the `yaml` library means, for a reader fixing the file (its English detail names the same). */
const JA_YAML: Record<string, string> = {
  BAD_INDENT: "インデントがそろっていません",
  TAB_AS_INDENT: "インデントにタブが使われています。スペースでインデントしてください",
  MISSING_CHAR: "閉じ括弧や引用符など、必要な記号が足りません",
  UNEXPECTED_TOKEN: "ここには書けない記号や値があります",
  BLOCK_AS_IMPLICIT_KEY: "1行に「キー: 値」を2つ続けて書くことはできません。値に「: 」を含めるときは引用符で囲んでください",
  MULTILINE_IMPLICIT_KEY: "キーは1行で書いてください（「:」が抜けていないか確認してください）",
  DUPLICATE_KEY: "同じキーが2回書かれています。キーは重複できません",
  BAD_ALIAS: "エイリアス（*名前）の指す先がありません",
  ALIAS_PROPS: "エイリアス（*名前）にアンカーやタグは付けられません",
  BLOCK_IN_FLOW: "{ } や [ ] の中には、インデントで書く形の値を置けません",
  BAD_DQ_ESCAPE: "二重引用符の中のエスケープ（\\ で始まる部分）が正しくありません",
  BAD_SCALAR_START: "値の先頭に使えない文字があります。引用符で囲んでください",
  MULTIPLE_DOCS: "ファイルに複数のドキュメント（---）があります。1つにしてください",
  TAG_RESOLVE_FAILED: "タグ（! で始まる部分）を解釈できません",
  KEY_OVER_1024_CHARS: "1024文字を超えるキーがあります",
  MULTIPLE_ANCHORS: "1つの値にアンカー（&）が2つあります",
  MULTIPLE_TAGS: "1つの値にタグ（!）が2つあります",
  BAD_PROP_ORDER: "アンカー（&）やタグ（!）の位置が正しくありません",
  BAD_DIRECTIVE: "ディレクティブ（% で始まる行）が正しくありません",
  NON_STRING_KEY: "キーは文字列にしてください",
  BAD_COLLECTION_TYPE: "値の種類（マッピングかリストか）がタグと合いません",
};
