// Shared by the e-form tests (not a test file itself): the demo procedures' schemas, a page context,
// a small address list, sample answers for any schema, and reading a rendered form back the way a
// browser would submit it.
import fs from 'node:fs';
import path from 'node:path';
import querystring from 'node:querystring';
import { fileURLToPath } from 'node:url';
import type { PageContext } from '../../../platform/html/page-context.js';
import { type Locale, translator } from '../../../platform/i18n/i18n.js';
import type { AddressChoices } from './eform-render.js';
import { type Json, asRecord, fieldKind, itemSchemaOf, propertiesOf, requiredOf, selectOptions } from './eform-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface DemoProcedure {
  code: string;
  name: string;
  formSchema: Json;
}

export const procedures: DemoProcedure[] = JSON.parse(fs.readFileSync(path.join(root, 'data/demo/procedures.json'), 'utf8')) as DemoProcedure[];

export function procedure(code: string): DemoProcedure {
  const found = procedures.find((p) => p.code === code);
  if (!found) throw new Error(`no demo procedure ${code}`);
  return found;
}

export function pageContext(locale: Locale = 'vi'): PageContext {
  return { locale, t: translator(locale), requestId: 'test', path: '/ho-so/nop', query: {}, stylesheet: '/assets/app.css', csrfToken: 'csrf', user: undefined };
}

export const addressChoices: AddressChoices = {
  provinces: [
    {
      code: '01',
      name: 'Thành phố Hà Nội',
      communes: [
        { code: '00004', name: 'Phường Ba Đình' },
        { code: '00008', name: 'Phường Ngọc Hà' },
      ],
    },
    {
      code: '92',
      name: 'Thành phố Cần Thơ',
      communes: [
        { code: '31117', name: 'Phường Ninh Kiều' },
        { code: '31120', name: 'Xã Phong Điền' },
      ],
    },
  ],
};

export const communeCodes: ReadonlyMap<string, ReadonlySet<string>> = new Map(addressChoices.provinces.map((p) => [p.code, new Set(p.communes.map((c) => c.code))]));

const PATTERN_SAMPLES: Record<string, string> = {
  '^\\d{12}$': '001203004567',
  '^0\\d{9}$': '0912345678',
  '^([01]\\d|2[0-3]):[0-5]\\d$': '07:30',
  '^(0[1-9]|1[0-2])/\\d{4}$': '03/2020',
  '^\\d{4}$': '4711',
  '^\\d{10}(-\\d{3})?$': '0101234567-001',
  '^\\d{10}$': '0101234567',
  '^\\d{4}-\\d{4}$': '2020-2025',
  '^\\d{7}$': '1234567',
};

function inRange(prop: Json, value: number): boolean {
  if (typeof prop.minimum === 'number' && value < prop.minimum) return false;
  if (typeof prop.maximum === 'number' && value > prop.maximum) return false;
  if (typeof prop.exclusiveMinimum === 'number' && value <= prop.exclusiveMinimum) return false;
  if (typeof prop.exclusiveMaximum === 'number' && value >= prop.exclusiveMaximum) return false;
  return true;
}

/** A valid answer for one property; `full` fills optional fields too. `seed` varies the choices. */
export function sampleValue(prop: Json, full: boolean, seed: number): unknown {
  switch (fieldKind(prop)) {
    case 'group': {
      const item = itemSchemaOf(prop);
      const count = Math.max(2, typeof prop.minItems === 'number' ? prop.minItems : 0);
      return Array.from({ length: count }, (_, i) => sampleObject(item, full, seed + i + 1));
    }
    case 'address': {
      const province = addressChoices.provinces[seed % 2]!;
      const value: Json = { provinceCode: province.code, communeCode: province.communes[seed % 2]!.code };
      if (full) value.street = `Số ${seed + 12} đường Trần Hưng Đạo, tổ "5" & <6>`;
      return value;
    }
    case 'object':
      return sampleObject(prop, full, seed);
    case 'date':
      return ['2020-03-05', '1990-12-31', '2024-02-29'][seed % 3];
    case 'select': {
      const options = selectOptions(prop) ?? [];
      return options[seed % options.length]?.value;
    }
    case 'boolean':
      return seed % 2 === 0;
    case 'integer':
      return [1234, 12, 1, 0, 20, 100, Number(prop.minimum) + 1].find((v) => inRange(prop, v));
    case 'number':
      return [1234.5, 12.5, 20.5, 0.75, 45, Number(prop.minimum) + 0.5].find((v) => inRange(prop, v));
    case 'email':
      return 'nguyen.van.a@example.vn';
    case 'textarea':
      return 'Dòng thứ nhất: đề nghị cấp lại.\nDòng thứ hai: "đính kèm" <bản sao> & bản chính.';
    default: {
      if (typeof prop.pattern === 'string') {
        const sample = PATTERN_SAMPLES[prop.pattern];
        if (!sample) throw new Error(`no sample for pattern ${prop.pattern}`);
        return sample;
      }
      const text = `Nguyễn Thị Hoà "An" <Bình> & Cường ${seed}`;
      return typeof prop.maxLength === 'number' ? text.slice(0, prop.maxLength).trim() : text;
    }
  }
}

export function sampleObject(schema: Json, full: boolean, seed = 0): Json {
  const required = requiredOf(schema);
  const out: Json = {};
  propertiesOf(schema).forEach(([name, prop], i) => {
    if (!full && !required.has(name)) return;
    const value = sampleValue(prop, full, seed + i);
    if (value !== undefined) out[name] = value;
  });
  return out;
}

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s>/])`).exec(tag);
  if (!match) return undefined;
  return decode(match[1] ?? '');
}

/** The name/value pairs a browser would submit for the rendered inputs (no button pressed). */
export function submittedPairs(html: string): [string, string][] {
  const pairs: [string, string][] = [];
  // A '>' may stand unescaped inside a quoted attribute value.
  const tag = '(?:[^>"]|"[^"]*")*>';
  const tags = new RegExp(`<input\\b${tag}|<textarea\\b${tag}([\\s\\S]*?)</textarea>|<select\\b${tag}([\\s\\S]*?)</select>`, 'g');
  for (const match of html.matchAll(tags)) {
    const whole = match[0];
    const open = new RegExp(`^<${tag}`).exec(whole)![0];
    const name = attribute(open, 'name');
    if (!name) continue;
    if (whole.startsWith('<input')) {
      const type = attribute(open, 'type') ?? 'text';
      if (type === 'radio' || type === 'checkbox') {
        if (attribute(open, 'checked') !== undefined) pairs.push([name, attribute(open, 'value') ?? 'on']);
      } else if (type !== 'submit' && type !== 'button') {
        pairs.push([name, attribute(open, 'value') ?? '']);
      }
    } else if (whole.startsWith('<textarea')) {
      pairs.push([name, decode(match[1] ?? '')]);
    } else {
      const options = [...(match[2] ?? '').matchAll(new RegExp(`<option\\b${tag}`, 'g'))].map((o) => o[0]);
      const selected = options.find((o) => attribute(o, 'selected') !== undefined) ?? options[0];
      pairs.push([name, selected ? (attribute(selected, 'value') ?? '') : '']);
    }
  }
  return pairs;
}

/** Pairs → the body a route receives: urlencoded as a browser sends a form (spaces as '+', UTF-8
 *  percent-escapes), then decoded as @fastify/formbody does (a repeated name becomes an array). */
export function browserBody(pairs: [string, string][]): Record<string, string | string[]> {
  const encoded = new URLSearchParams(pairs).toString();
  return { ...querystring.parse(encoded) } as Record<string, string | string[]>;
}

export function pick(data: Json, fields: readonly string[]): Json {
  return Object.fromEntries(Object.entries(data).filter(([name]) => fields.includes(name)));
}

export { asRecord };
