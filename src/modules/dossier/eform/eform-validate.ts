// Validates e-form data against the procedure's JSON Schema (Ajv, draft 2020-12) and turns Ajv's
// errors into one message per field written for a citizen (GOV.UK style), in Vietnamese or English,
// named like the renderer's inputs so that the error summary links land on them.
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type Locale, type MessageKey, type MessageParams, translate } from '../../../platform/i18n/i18n.js';
import {
  type FieldKind,
  type Json,
  asRecord,
  dateParts,
  descriptionOf,
  fieldKind,
  isChoice,
  itemSchemaOf,
  lowerFirst,
  propertiesOf,
  propertyOf,
  requiredOf,
  titleOf,
} from './eform-schema.js';

export interface EformProblem {
  name: string;
  message: string;
}

export interface EformValidateOptions {
  /** Only these top-level fields (one step); every field when undefined. */
  fields?: readonly string[];
  locale?: 'vi' | 'en';
  /** Province code → its commune codes: an address's commune must belong to its province. */
  communeCodes?: ReadonlyMap<string, ReadonlySet<string>>;
}

const ajv = new Ajv2020.default({ strict: false, allErrors: true, addUsedSchema: false });
addFormats.default(ajv);
// Published procedure versions are immutable, but every read from the database is a new object:
// the compiled validator is cached by the schema's text, so each version compiles once. Ajv's own
// schema cache is keyed by object and would grow with every read, so it is turned off above.
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 500;

function validatorFor(schema: Json): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validate);
  }
  return validate;
}

/** A field of the form, after walking an error's path through groups and plain objects. */
interface Slot {
  /** Its path in the data, joined by dots: 'applicantAddress', 'documents.0.pages'. */
  key: string;
  prop: Json;
  kind: FieldKind;
  /** The error's path below the field (an address part, a group's item index). */
  rest: string[];
}

function resolve(root: Json, segments: string[]): Slot | undefined {
  let container = root;
  const path: string[] = [];
  let i = 0;
  while (i < segments.length) {
    const name = segments[i]!;
    const prop = propertyOf(container, name);
    if (!prop) return undefined;
    path.push(name);
    i += 1;
    const kind = fieldKind(prop);
    if (kind === 'group' && i + 1 < segments.length && /^\d+$/.test(segments[i]!)) {
      path.push(segments[i]!);
      i += 1;
      container = itemSchemaOf(prop);
      continue;
    }
    if (kind === 'object' && i < segments.length) {
      container = prop;
      continue;
    }
    return { key: path.join('.'), prop, kind, rest: segments.slice(i) };
  }
  return undefined;
}

function valueAt(data: unknown, key: string): unknown {
  let value = data;
  for (const segment of key.split('.')) {
    if (Array.isArray(value)) value = value[Number(segment)];
    else value = asRecord(value)?.[segment];
  }
  return value;
}

interface Candidate extends EformProblem {
  slot: string;
  priority: number;
  seq: number;
}

const PRIORITY: Record<string, number> = {
  required: 0,
  type: 1,
  format: 2,
  const: 2,
  enum: 2,
  oneOf: 2,
  anyOf: 2,
  pattern: 3,
  minLength: 4,
  maxLength: 4,
  minimum: 5,
  maximum: 5,
  exclusiveMinimum: 5,
  exclusiveMaximum: 5,
  minItems: 5,
  maxItems: 5,
};

class Messages {
  constructor(private readonly locale: Locale) {}

  t(key: MessageKey, params?: MessageParams): string {
    return translate(this.locale, key, params);
  }

  number(value: unknown): string {
    return typeof value === 'number' ? new Intl.NumberFormat(this.locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 20 }).format(value) : String(value);
  }

  names(prop: Json, fallback: string): MessageParams {
    const title = titleOf(prop, fallback);
    return { title, label: lowerFirst(title) };
  }

  /** The message for one Ajv error on a plain field (text, number, select, yes/no, a date's format). */
  field(prop: Json, kind: FieldKind, fallbackTitle: string, error: ErrorObject, partName?: string): string {
    const names = this.names(prop, fallbackTitle);
    const limit = this.number((error.params as { limit?: unknown }).limit);
    switch (error.keyword) {
      case 'required':
        return this.t(isChoice(kind, partName) ? 'eform.error.choose' : 'eform.error.enter', names);
      case 'type':
        if (kind === 'integer') return this.t('eform.error.integer', names);
        if (kind === 'number') return this.t('eform.error.number', names);
        if (isChoice(kind, partName)) return this.t('eform.error.chooseFromList', names);
        return this.t('eform.error.invalid', names);
      case 'format':
        if (kind === 'email') return this.t('eform.error.email');
        if (kind === 'date') return this.t('eform.error.dateReal', names);
        return this.t('eform.error.patternGeneric', names);
      case 'pattern': {
        const description = descriptionOf(prop);
        return description ? this.t('eform.error.pattern', { ...names, description }) : this.t('eform.error.patternGeneric', names);
      }
      case 'const':
      case 'enum':
      case 'oneOf':
      case 'anyOf':
        return this.t('eform.error.chooseFromList', names);
      case 'maxLength':
      case 'minLength':
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        return this.t(`eform.error.${error.keyword}`, { ...names, limit });
      default:
        return this.t('eform.error.invalid', names);
    }
  }

  inAddress(address: Json, fallbackTitle: string, message: string): string {
    return this.t('eform.error.inAddress', { address: titleOf(address, fallbackTitle), message: lowerFirst(message) });
  }
}

function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/** One candidate problem (input name, message) for an Ajv error on a slot. */
function problemFor(m: Messages, slot: Slot, error: ErrorObject, data: unknown): { name: string; message: string } {
  const { key, prop, kind, rest } = slot;
  const fallback = lastSegment(key);
  switch (kind) {
    case 'address': {
      const required = [...requiredOf(prop)];
      const partName = rest[0] ?? required[0] ?? propertiesOf(prop)[0]?.[0] ?? 'provinceCode';
      const partProp = propertyOf(prop, partName) ?? {};
      // The whole address missing reads as its first required part missing.
      const partError = rest.length === 0 ? { ...error, keyword: 'required' } : error;
      const message = m.field(partProp, fieldKind(partProp), partName, partError, partName);
      return { name: `${key}.${partName}`, message: m.inAddress(prop, fallback, message) };
    }
    case 'date': {
      const names = m.names(prop, fallback);
      if (error.keyword === 'required') return { name: `${key}.day`, message: m.t('eform.error.enter', names) };
      const parts = dateParts(valueAt(data, key));
      if (parts) {
        const missing = (['day', 'month', 'year'] as const).filter((p) => parts[p] === '');
        if (missing.length > 0) {
          const words = missing.map((p) => lowerFirst(m.t(`eform.date.${p}`)));
          return { name: `${key}.${missing[0]}`, message: m.t('eform.error.dateMissing', { ...names, parts: words.join(` ${m.t('eform.and')} `) }) };
        }
        if (!/^\d{4}$/.test(parts.year)) return { name: `${key}.year`, message: m.t('eform.error.dateYear', names) };
      }
      return { name: `${key}.day`, message: m.t('eform.error.dateReal', names) };
    }
    case 'group': {
      const names = m.names(prop, fallback);
      const limit = (error.params as { limit?: unknown }).limit;
      if (error.keyword === 'required' || error.keyword === 'minItems') {
        const min = Math.max(1, typeof limit === 'number' ? limit : typeof prop.minItems === 'number' ? prop.minItems : 1);
        return { name: key, message: m.t('eform.error.minItems', { ...names, limit: m.number(min) }) };
      }
      if (error.keyword === 'maxItems') return { name: key, message: m.t('eform.error.maxItems', { ...names, limit: m.number(limit) }) };
      return { name: key, message: m.t('eform.error.invalid', names) };
    }
    case 'object': {
      const first = propertiesOf(prop)[0];
      return { name: first ? `${key}.${first[0]}` : key, message: m.field(prop, kind, fallback, error) };
    }
    default:
      return { name: key, message: m.field(prop, kind, fallback, error) };
  }
}

/** The keys of every field in scope, in the schema's order (items of a group in their order). */
function slotOrder(schema: Json, data: Json, fields: readonly string[] | undefined): string[] {
  const keys: string[] = [];
  const walk = (prop: Json, key: string, value: unknown) => {
    keys.push(key);
    const kind = fieldKind(prop);
    if (kind === 'group' && Array.isArray(value)) {
      const children = propertiesOf(itemSchemaOf(prop));
      value.forEach((item, index) => {
        for (const [child, childProp] of children) walk(childProp, `${key}.${index}.${child}`, asRecord(item)?.[child]);
      });
    } else if (kind === 'object') {
      for (const [child, childProp] of propertiesOf(prop)) walk(childProp, `${key}.${child}`, asRecord(value)?.[child]);
    }
  };
  for (const [name, prop] of propertiesOf(schema)) {
    if (!fields || fields.includes(name)) walk(prop, name, data[name]);
  }
  return keys;
}

/** Every address in scope with its key, for the commune check. */
function addressesIn(schema: Json, data: Json, fields: readonly string[] | undefined): { key: string; prop: Json; value: Json }[] {
  const found: { key: string; prop: Json; value: Json }[] = [];
  const walk = (prop: Json, key: string, value: unknown) => {
    const kind = fieldKind(prop);
    if (kind === 'address') {
      const record = asRecord(value);
      if (record) found.push({ key, prop, value: record });
    } else if (kind === 'group' && Array.isArray(value)) {
      const children = propertiesOf(itemSchemaOf(prop));
      value.forEach((item, index) => {
        for (const [child, childProp] of children) walk(childProp, `${key}.${index}.${child}`, asRecord(item)?.[child]);
      });
    } else if (kind === 'object') {
      for (const [child, childProp] of propertiesOf(prop)) walk(childProp, `${key}.${child}`, asRecord(value)?.[child]);
    }
  };
  for (const [name, prop] of propertiesOf(schema)) {
    if (!fields || fields.includes(name)) walk(prop, name, data[name]);
  }
  return found;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Validates data against the schema, restricted to the given top-level fields (a step) or all
 *  fields when `fields` is undefined. One problem per field (its most basic one: missing before
 *  malformed before too long), ordered as the fields appear in the schema; `name` is the input's
 *  path as the renderer writes it ('applicantAddress.communeCode', 'children.0.fullName',
 *  'childDateOfBirth.day'), without the `f.` prefix of the input names. */
export function validateEformData(
  schema: Record<string, unknown>,
  data: Record<string, unknown>,
  options?: { fields?: readonly string[]; locale?: 'vi' | 'en'; communeCodes?: ReadonlyMap<string, ReadonlySet<string>> },
): EformProblem[] {
  const fields = options?.fields;
  const m = new Messages(options?.locale ?? 'vi');
  const validate = validatorFor(schema);
  const candidates: Candidate[] = [];
  let seq = 0;
  const add = (slot: string, problem: { name: string; message: string }, priority: number) => {
    candidates.push({ ...problem, slot, priority, seq: seq++ });
  };

  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
      if (error.keyword === 'required') segments.push(String((error.params as { missingProperty?: unknown }).missingProperty));
      const top = segments[0];
      if (top === undefined || (fields && !fields.includes(top))) continue;
      const slot = resolve(schema, segments);
      if (!slot) continue;
      add(slot.key, problemFor(m, slot, error, data), PRIORITY[error.keyword] ?? 9);
    }
  }

  if (options?.communeCodes) {
    for (const { key, prop, value } of addressesIn(schema, data, fields)) {
      const province = value.provinceCode;
      const commune = value.communeCode;
      if (typeof province !== 'string') continue;
      const communes = options.communeCodes.get(province);
      const fallback = lastSegment(key);
      if (!communes) {
        const partProp = propertyOf(prop, 'provinceCode') ?? {};
        const message = m.t('eform.error.chooseFromList', m.names(partProp, 'provinceCode'));
        add(key, { name: `${key}.provinceCode`, message: m.inAddress(prop, fallback, message) }, 6);
      } else if (typeof commune === 'string' && !communes.has(commune)) {
        add(key, { name: `${key}.communeCode`, message: m.inAddress(prop, fallback, m.t('eform.error.communeMismatch')) }, 6);
      }
    }
  }

  const best = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const current = best.get(candidate.slot);
    if (!current || candidate.priority < current.priority) best.set(candidate.slot, candidate);
  }
  const ordered: EformProblem[] = [];
  for (const key of slotOrder(schema, data, fields)) {
    const candidate = best.get(key);
    if (candidate) {
      ordered.push({ name: candidate.name, message: candidate.message });
      best.delete(key);
    }
  }
  for (const candidate of [...best.values()].sort((a, b) => a.seq - b.seq)) ordered.push({ name: candidate.name, message: candidate.message });
  return ordered;
}
