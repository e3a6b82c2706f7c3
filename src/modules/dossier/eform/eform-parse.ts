// From the urlencoded body of one step of an e-form to typed data. The names of the inputs (the
// renderer writes the same): `f.<name>`; address parts `f.<name>.provinceCode|communeCode|street`;
// date boxes `f.<name>.day|month|year`; repeating-group items `f.<name>.<index>.<child>` (and so on,
// recursively, for an address or a date inside an item).
// Nothing here rejects input: text that is not a number or a date is kept so that the validator can
// say what is wrong with it, and empty answers are left out so that "required" catches them.
import { type FieldKind, type Json, asRecord, fieldKind, itemSchemaOf, propertiesOf, propertyOf } from './eform-schema.js';

const MAX_ROWS = 500;

/** The text of one input: the first value if repeated, NFC-normalised (Vietnamese typed on some
 *  systems arrives decomposed), trimmed; empty is undefined. */
function text(body: Record<string, unknown>, name: string, multiline = false): string | undefined {
  let raw = body[name];
  if (Array.isArray(raw)) raw = raw[0];
  if (typeof raw !== 'string') return undefined;
  let value = raw.normalize('NFC');
  if (multiline) value = value.replace(/\r\n?/g, '\n');
  value = value.trim();
  return value === '' ? undefined : value;
}

/** "1.000" (Vietnamese thousands dots), "1 000", "1,5" (decimal comma), "1.000,5", "12.5" → numbers;
 *  anything else stays as text. For an integer field, "1,000,000" (comma thousands) is accepted too. */
export function parseNumberText(value: string, kind: 'integer' | 'number'): number | string {
  const compact = value.replace(/[\s\u00a0\u202f]/g, '');
  let normal: string | undefined;
  if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(compact)) normal = compact.replace(/\./g, '').replace(',', '.');
  else if (kind === 'integer' && /^[+-]?\d{1,3}(,\d{3})+$/.test(compact)) normal = compact.replace(/,/g, '');
  else if (/^[+-]?\d+(,\d+)?$/.test(compact)) normal = compact.replace(',', '.');
  else if (/^[+-]?\d*\.\d+$/.test(compact) || /^[+-]?\d+$/.test(compact)) normal = compact;
  if (normal === undefined) return value;
  const number = Number(normal);
  return Number.isFinite(number) ? number : value;
}

/** Three boxes → 'YYYY-MM-DD'; an impossible or incomplete date keeps its raw parts ('2026-02-31',
 *  '2020--05') for the validator to explain. */
function parseDate(body: Record<string, unknown>, name: string): string | undefined {
  const box = (part: string) => (text(body, `${name}.${part}`) ?? '').replace(/[\s-]/g, '');
  const day = box('day');
  const month = box('month');
  const year = box('year');
  if (!day && !month && !year) return undefined;
  const pad = (part: string) => (/^\d$/.test(part) ? `0${part}` : part);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The indices of a group's items present in the body, in order. */
function rowIndices(body: Record<string, unknown>, name: string): number[] {
  const prefix = `${name}.`;
  const indices = new Set<number>();
  for (const key of Object.keys(body)) {
    if (!key.startsWith(prefix)) continue;
    const segment = key.slice(prefix.length).split('.')[0] ?? '';
    if (/^\d{1,6}$/.test(segment)) indices.add(Number(segment));
  }
  return [...indices].sort((a, b) => a - b).slice(0, MAX_ROWS);
}

function parseValue(prop: Json, name: string, body: Record<string, unknown>, keepEmptyRows: boolean): unknown {
  const kind: FieldKind = fieldKind(prop);
  switch (kind) {
    case 'group': {
      const item = itemSchemaOf(prop);
      const rows: Json[] = [];
      for (const index of rowIndices(body, name)) {
        const row = parseObject(item, `${name}.${index}`, body, keepEmptyRows);
        if (row) rows.push(row);
        else if (keepEmptyRows) rows.push({});
      }
      return rows.length > 0 ? rows : undefined;
    }
    case 'address':
    case 'object':
      return parseObject(prop, name, body, keepEmptyRows);
    case 'date':
      return parseDate(body, name);
    case 'integer':
    case 'number': {
      const value = text(body, name);
      return value === undefined ? undefined : parseNumberText(value, kind);
    }
    case 'boolean': {
      const value = text(body, name);
      return value === 'yes' ? true : value === 'no' ? false : value;
    }
    case 'textarea':
      return text(body, name, true);
    default:
      return text(body, name);
  }
}

function parseObject(schema: Json, name: string, body: Record<string, unknown>, keepEmptyRows: boolean): Json | undefined {
  const out: Json = {};
  for (const [child, childProp] of propertiesOf(schema)) {
    const value = parseValue(childProp, `${name}.${child}`, body, keepEmptyRows);
    if (value !== undefined) out[child] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Turns an urlencoded form body (as parsed by @fastify/formbody: Record<string, string | string[]>)
 *  into typed e-form data for the named top-level fields of one step. Empty answers are absent, so
 *  the result is the whole answer of the step: replace the step's fields with it, do not merge.
 *  Repeating groups drop the rows left entirely empty, except when the submit is an add/remove
 *  action (see parseRepeatAction): then empty rows are kept as {} so that the index of the
 *  "Xoá" button that was pressed still points at the row the person saw. */
export function parseStepData(schema: Record<string, unknown>, fields: readonly string[], body: Record<string, unknown>): Record<string, unknown> {
  const keepEmptyRows = parseRepeatAction(body) !== undefined;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const prop = propertyOf(schema, field);
    if (!prop) continue;
    const value = parseValue(prop, `f.${field}`, body, keepEmptyRows);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

export type RepeatAction = { kind: 'add'; field: string } | { kind: 'remove'; field: string; index: number };

const FIELD_PATH = '[A-Za-z_][A-Za-z0-9_]*(?:\\.\\d{1,6}\\.[A-Za-z_][A-Za-z0-9_]*)*';
const ADD = new RegExp(`^add:(${FIELD_PATH})$`);
const REMOVE = new RegExp(`^remove:(${FIELD_PATH}):(\\d{1,6})$`);

/** The "Thêm …" (`action=add:<name>`) or "Xoá" (`action=remove:<name>:<index>`) button that sent
 *  the form, if one did. The caller checks that the field belongs to the step. */
export function parseRepeatAction(body: Record<string, unknown>): RepeatAction | undefined {
  let raw = body.action;
  if (Array.isArray(raw)) raw = raw[0];
  if (typeof raw !== 'string') return undefined;
  const add = ADD.exec(raw);
  if (add) return { kind: 'add', field: add[1]! };
  const remove = REMOVE.exec(raw);
  if (remove) return { kind: 'remove', field: remove[1]!, index: Number(remove[2]) };
  return undefined;
}

/** Applies it to data (add appends an empty item {}; remove splices) — returns new data. A field
 *  may be a path to a group inside an item ('a.0.b'); a path that leads nowhere changes nothing. */
export function applyRepeatAction(data: Record<string, unknown>, action: RepeatAction): Record<string, unknown> {
  const apply = (items: unknown): unknown[] => {
    const list = Array.isArray(items) ? [...items] : [];
    if (action.kind === 'add') list.push({});
    else if (action.index < list.length) list.splice(action.index, 1);
    return list;
  };
  const update = (container: Record<string, unknown>, segments: string[]): Record<string, unknown> => {
    const [head, index, ...rest] = segments;
    if (head === undefined) return container;
    if (index === undefined) return { ...container, [head]: apply(container[head]) };
    const list = container[head];
    const position = Number(index);
    const item = Array.isArray(list) ? asRecord(list[position]) : undefined;
    if (!Array.isArray(list) || !item) return container;
    const copy = [...list];
    copy[position] = update(item, rest);
    return { ...container, [head]: copy };
  };
  return update(data, action.field.split('.'));
}
