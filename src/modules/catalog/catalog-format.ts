// The catalogue's file formats: JSON (an array of procedure records) and CSV (one record a row,
// list and object cells as JSON). Parsing keeps each record's line so that a report can name it.
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { ProcedureRecord } from './catalog.schemas.js';

export type CatalogFormat = 'json' | 'csv';

export interface ParsedRecord {
  line: number;
  value: unknown;
}

export interface ParseProblem {
  line: number;
  message: string;
}

export const csvColumns = [
  'code',
  'status',
  'name',
  'nameEn',
  'fieldCode',
  'levelOfGovernment',
  'onlineLevelScheme',
  'onlineLevel',
  'processingDays',
  'processingNote',
  'fees',
  'feesNote',
  'documents',
  'resultType',
  'legalBasis',
  'agencyCodes',
  'formSchema',
  'provenance',
] as const satisfies readonly (keyof ProcedureRecord)[];

/** Columns a file may leave out (older exports have none); an empty cell means absent. */
const optionalColumns = ['workflow'] as const satisfies readonly (keyof ProcedureRecord)[];

const jsonColumns = new Set(['fees', 'documents', 'legalBasis', 'agencyCodes', 'formSchema', 'provenance']);
const nullableColumns = new Set(['nameEn', 'processingNote', 'feesNote', 'resultType']);

export function formatFromPath(file: string): CatalogFormat | undefined {
  if (file.toLowerCase().endsWith('.json')) return 'json';
  if (file.toLowerCase().endsWith('.csv')) return 'csv';
  return undefined;
}

/** Line (1-based) where each top-level array element of a JSON text starts. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectElement = false;
  for (const ch of text) {
    if (ch === '\n') line += 1;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (expectElement && depth === 1 && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth += 1;
      if (depth === 1 && ch === '[') expectElement = true;
    } else if (ch === ']' || ch === '}') depth -= 1;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

function jsonErrorLine(text: string, error: unknown): number {
  const m = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!m) return 1;
  return text.slice(0, Number(m[1])).split('\n').length;
}

export function parseCatalogText(text: string, format: CatalogFormat): { records: ParsedRecord[]; problems: ParseProblem[] } {
  return format === 'json' ? parseJson(text) : parseCsvText(text);
}

function parseJson(text: string): { records: ParsedRecord[]; problems: ParseProblem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { records: [], problems: [{ line: jsonErrorLine(text, error), message: `JSON không hợp lệ: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  if (!Array.isArray(data)) return { records: [], problems: [{ line: 1, message: 'Tệp JSON phải là một mảng các thủ tục' }] };
  const lines = elementLines(text);
  return { records: data.map((value, i) => ({ line: lines[i] ?? 1, value })), problems: [] };
}

function parseCsvText(text: string): { records: ParsedRecord[]; problems: ParseProblem[] } {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parseCsv(text, { bom: true, columns: true, skip_empty_lines: true, info: true, relax_column_count: false }) as typeof rows;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { records: [], problems: [{ line, message: `CSV không hợp lệ: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const problems: ParseProblem[] = [];
  const header = rows[0] ? Object.keys(rows[0].record) : [];
  const missing = csvColumns.filter((c) => rows.length > 0 && !header.includes(c));
  if (missing.length > 0) problems.push({ line: 1, message: `Thiếu cột: ${missing.join(', ')}` });
  const records: ParsedRecord[] = [];
  for (const { record, info } of rows) {
    const value: Record<string, unknown> = {};
    let ok = true;
    for (const [key, cell] of Object.entries(record)) {
      if ((optionalColumns as readonly string[]).includes(key)) {
        if (cell.trim() === '') continue;
        try {
          value[key] = JSON.parse(cell);
        } catch {
          problems.push({ line: info.lines, message: `cột ${key}: không phải JSON hợp lệ` });
          ok = false;
        }
      } else if (jsonColumns.has(key)) {
        try {
          value[key] = JSON.parse(cell);
        } catch {
          problems.push({ line: info.lines, message: `cột ${key}: không phải JSON hợp lệ` });
          ok = false;
        }
      } else if (key === 'processingDays') {
        value[key] = cell.trim() === '' ? null : /^\d+$/.test(cell.trim()) ? Number(cell) : cell;
      } else if (nullableColumns.has(key)) {
        value[key] = cell === '' ? null : cell;
      } else {
        value[key] = cell;
      }
    }
    if (ok) records.push({ line: info.lines, value });
  }
  return { records, problems };
}

export function serializeCatalog(records: ProcedureRecord[], format: CatalogFormat): string {
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  const rows = records.map((r) => [
    ...csvColumns.map((c) => {
      const v = r[c];
      if (jsonColumns.has(c)) return JSON.stringify(v);
      return v === null || v === undefined ? '' : String(v);
    }),
    ...optionalColumns.map((c) => (r[c] ? JSON.stringify(r[c]) : '')),
  ]);
  return stringifyCsv([[...csvColumns, ...optionalColumns], ...rows]);
}
