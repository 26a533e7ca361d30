import { messagesOf, type Language } from "../i18n/index.js";
import { setupMessages } from "../i18n/messages/setup.js";
import { keyLineAt, lineAt, parseYamlSource, type FileProblem, type ParsedYaml } from "./yaml-source.js";

export type FieldType = "input" | "textarea" | "dropdown" | "checkboxes" | "upload";

export interface CheckboxOption {
  label: string;
  required: boolean;
}

/** One answerable element of an issue form, as GitHub renders and enforces it. */
export interface FormField {
  id: string;
  type: FieldType;
  label: string;
  /** The form's help text under the label; empty when none. Read to infer the field's role. */
  description: string;
  required: boolean;
  /** Dropdown options. */
  options: string[];
  multiple: boolean;
  /** Checkbox options. */
  checkboxes: CheckboxOption[];
  /** Language of a `render:` textarea, whose answer GitHub wraps in a code fence. */
  render: string | null;
  line: number | null;
}

export interface FormSchema {
  file: string;
  name: string;
  fields: FormField[];
  byId: ReadonlyMap<string, FormField>;
  /** Headings in a rendered body are the labels, trimmed. */
  byLabel: ReadonlyMap<string, FormField>;
}

export type FormResult = { ok: true; form: FormSchema } | { ok: false; problems: FileProblem[] };

type SetupMessages = (typeof setupMessages)["byLanguage"]["en"];

const ELEMENT_TYPES = new Set(["markdown", "textarea", "input", "dropdown", "checkboxes", "upload"]);

/**
 * Reads an issue form the way GitHub does and checks the rules GitHub enforces
 * when it refuses to show a form, so a broken form is reported with its line
 * instead of silently validating nothing. Problems are written in `language`.
 */
export function parseForm(text: string, file: string, language: Language = "en"): FormResult {
  const m = messagesOf(setupMessages, language);
  const parsed = parseYamlSource(text, file, language);
  if (!parsed.ok) return parsed;
  const source = parsed.yaml;
  const problems: FileProblem[] = [];
  const problem = (path: (string | number)[], message: string, atKey = false) =>
    problems.push({ file, line: atKey ? keyLineAt(source, path) : lineAt(source, path), message });

  const root: unknown = source.value;
  if (!isRecord(root)) {
    return { ok: false, problems: [{ file, line: 1, message: m.formNotMapping }] };
  }
  for (const key of ["name", "description"] as const) {
    if (typeof root[key] !== "string" || root[key].trim() === "") problem([key], m.formTopLevel(key), true);
  }
  const body = root.body;
  if (!Array.isArray(body) || body.length === 0) {
    problem(["body"], m.formBody, true);
    return { ok: false, problems };
  }

  const fields: FormField[] = [];
  const seenIds = new Map<string, number>();
  const seenLabels = new Map<string, number>();
  body.forEach((element: unknown, index) => {
    const at = (...rest: (string | number)[]) => ["body", index, ...rest];
    if (!isRecord(element)) {
      problem(at(), m.elementNotMapping(index));
      return;
    }
    const type = element.type;
    if (typeof type !== "string" || !ELEMENT_TYPES.has(type)) {
      problem(at("type"), m.elementType(index, JSON.stringify(type)));
      return;
    }
    const attributes = isRecord(element.attributes) ? element.attributes : null;
    if (!attributes) {
      problem(at(), m.elementAttributes(index, type));
      return;
    }
    if (type === "markdown") {
      if (typeof attributes.value !== "string" || attributes.value.trim() === "") problem(at("attributes"), m.markdownValue(index));
      if (element.id !== undefined) problem(at("id"), m.markdownId(index), true);
      return;
    }
    const label = typeof attributes.label === "string" ? attributes.label.trim() : "";
    if (label === "") {
      problem(at(), m.elementLabel(index, type));
      return;
    }
    const id = element.id === undefined ? slugify(label) : element.id;
    if (typeof id !== "string" || !/^[A-Za-z0-9_-]+$/.test(id)) {
      problem(at("id"), m.elementId(index, JSON.stringify(id)), true);
      return;
    }
    const line = lineAt(source, at());
    const firstId = seenIds.get(id);
    if (firstId !== undefined) problem(at("id"), m.idTwice(id, firstId), true);
    else seenIds.set(id, keyLineAt(source, at("id")) ?? line ?? 0);
    const labelKey = label.toLowerCase();
    const firstLabel = seenLabels.get(labelKey);
    if (firstLabel !== undefined) problem(at("attributes", "label"), m.labelTwice(label, firstLabel));
    else seenLabels.set(labelKey, line ?? 0);

    const validations = isRecord(element.validations) ? element.validations : {};
    const field: FormField = {
      id,
      type: type as FieldType,
      label,
      description: typeof attributes.description === "string" ? attributes.description.trim() : "",
      required: validations.required === true,
      options: [],
      multiple: false,
      checkboxes: [],
      render: null,
      line,
    };
    if (type === "dropdown") readDropdown(attributes, field, at, problem, m);
    if (type === "checkboxes") readCheckboxes(attributes, field, at, problem, m);
    if (type === "textarea" && typeof attributes.render === "string" && attributes.render.trim() !== "") field.render = attributes.render.trim();
    fields.push(field);
  });

  if (fields.length === 0 && problems.length === 0) problem(["body"], m.noFields, true);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, form: buildForm(file, String(root.name), fields) };
}

function readDropdown(
  attributes: Record<string, unknown>,
  field: FormField,
  at: (...rest: (string | number)[]) => (string | number)[],
  problem: (path: (string | number)[], message: string, atKey?: boolean) => void,
  m: SetupMessages,
): void {
  const options = attributes.options;
  if (!Array.isArray(options) || options.length === 0) {
    problem(at("attributes"), m.dropdownOptions(field.label));
    return;
  }
  const seen = new Set<string>();
  options.forEach((option: unknown, i) => {
    const value = typeof option === "number" || typeof option === "boolean" ? String(option) : option;
    if (typeof value !== "string" || value.trim() === "") {
      problem(at("attributes", "options", i), m.dropdownOption(field.label, i + 1));
      return;
    }
    if (seen.has(value.trim())) problem(at("attributes", "options", i), m.dropdownTwice(field.label, value.trim()));
    seen.add(value.trim());
    field.options.push(value.trim());
  });
  field.multiple = attributes.multiple === true;
}

function readCheckboxes(
  attributes: Record<string, unknown>,
  field: FormField,
  at: (...rest: (string | number)[]) => (string | number)[],
  problem: (path: (string | number)[], message: string, atKey?: boolean) => void,
  m: SetupMessages,
): void {
  const options = attributes.options;
  if (!Array.isArray(options) || options.length === 0) {
    problem(at("attributes"), m.checkboxesOptions(field.label));
    return;
  }
  options.forEach((option: unknown, i) => {
    const label = isRecord(option) && typeof option.label === "string" ? option.label.trim() : "";
    if (label === "") {
      problem(at("attributes", "options", i), m.checkboxesOption(field.label, i + 1));
      return;
    }
    field.checkboxes.push({ label, required: isRecord(option) && option.required === true });
  });
  field.required = field.required || field.checkboxes.some((option) => option.required);
}

export function buildForm(file: string, name: string, fields: FormField[]): FormSchema {
  return {
    file,
    name,
    fields,
    byId: new Map(fields.map((field) => [field.id, field])),
    byLabel: new Map(fields.map((field) => [field.label, field])),
  };
}

/** The key GitHub-style tools use for a field without an id. */
export function slugify(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export type { FileProblem, ParsedYaml };
