// Reading a procedure's e-form schema (the conventions of src/modules/catalog/form-schema.ts): what
// kind of widget each property is, its options, titles and required lists. Shared by the parser, the
// validator and the renderer so that the three agree on every field.

export type Json = Record<string, unknown>;

export type FieldKind = 'text' | 'textarea' | 'email' | 'date' | 'select' | 'integer' | 'number' | 'boolean' | 'address' | 'group' | 'object';

export interface SelectOption {
  value: string;
  label: string;
}

export function asRecord(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** The properties of an object schema, in their declared order. */
export function propertiesOf(schema: Json): [string, Json][] {
  const properties = asRecord(schema.properties);
  if (!properties) return [];
  return Object.entries(properties).flatMap(([name, value]) => {
    const record = asRecord(value);
    return record ? [[name, record] as [string, Json]] : [];
  });
}

export function propertyOf(schema: Json, name: string): Json | undefined {
  return asRecord(asRecord(schema.properties)?.[name]);
}

export function requiredOf(schema: Json): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
}

/** The schema of one item of a repeating group (an object schema; empty when the schema has none). */
export function itemSchemaOf(prop: Json): Json {
  return asRecord(prop.items) ?? {};
}

/** The options of a select: `oneOf: [{const, title}]`, or a bare `enum`. */
export function selectOptions(prop: Json): SelectOption[] | undefined {
  if (Array.isArray(prop.oneOf)) {
    const options = prop.oneOf.flatMap((branch) => {
      const record = asRecord(branch);
      if (!record || !('const' in record)) return [];
      const value = String(record.const);
      return [{ value, label: typeof record.title === 'string' ? record.title : value }];
    });
    return options.length > 0 ? options : undefined;
  }
  if (Array.isArray(prop.enum)) return prop.enum.map((v) => ({ value: String(v), label: String(v) }));
  return undefined;
}

export function fieldKind(prop: Json): FieldKind {
  switch (prop.type) {
    case 'array':
      return 'group';
    case 'object':
      return prop['x-widget'] === 'address' ? 'address' : 'object';
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
  }
  if (selectOptions(prop)) return 'select';
  if (prop.format === 'date') return 'date';
  if (prop.format === 'email') return 'email';
  if (prop['x-widget'] === 'textarea') return 'textarea';
  return 'text';
}

/** The parts of an address widget that are chosen from a list rather than typed. */
export const ADDRESS_SELECTS: ReadonlySet<string> = new Set(['provinceCode', 'communeCode']);

/** Whether a field is answered by choosing (select, yes/no, the province and commune of an address). */
export function isChoice(kind: FieldKind, partName?: string): boolean {
  return kind === 'select' || kind === 'boolean' || (partName !== undefined && ADDRESS_SELECTS.has(partName));
}

export function titleOf(prop: Json, fallback: string): string {
  return typeof prop.title === 'string' && prop.title.trim() !== '' ? prop.title : fallback;
}

export function descriptionOf(prop: Json): string | undefined {
  return typeof prop.description === 'string' && prop.description.trim() !== '' ? prop.description : undefined;
}

/** "Số điện thoại" → "số điện thoại", for use mid-sentence; "CCCD …" (an acronym) stays. */
export function lowerFirst(text: string): string {
  const [first, second] = [...text];
  if (first === undefined) return text;
  if (second !== undefined && second !== second.toLowerCase()) return text;
  return first.toLowerCase() + text.slice(first.length);
}

/** Whether a pattern accepts digits only (a number printed on a card), for the numeric keyboard. */
export function isDigitPattern(pattern: unknown): boolean {
  return typeof pattern === 'string' && /^\^?(?:\\d|\d|\{\d+(?:,\d*)?\}|[()?+*|])+\$?$/.test(pattern);
}

/** Splits a stored date 'YYYY-MM-DD' (or the raw text of an impossible one, e.g. '2026-02-31' or
 *  '2020--05') back into its three boxes. */
export function dateParts(value: unknown): { year: string; month: string; day: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^([^-]*)-([^-]*)-([^-]*)$/.exec(value);
  if (!match) return undefined;
  return { year: match[1] ?? '', month: match[2] ?? '', day: match[3] ?? '' };
}

/** A number as the renderer writes it back into its box: plain digits, with a decimal comma. */
export function numberText(value: number): string {
  let text = String(value);
  if (/e/i.test(text)) text = value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  return text.replace('.', ',');
}
