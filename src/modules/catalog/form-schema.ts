// Procedure e-forms are JSON Schema (draft 2020-12) with a few presentation keywords:
// `x-steps` (the pages of a long form, each listing its fields), `x-widget` (textarea, address).
// docs/eform.md describes the conventions; this module checks a schema keeps them, so that the
// form renderer and the validator can rely on them.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);

export interface FormStep {
  title: string;
  fields: string[];
}

export interface FormSchemaProblem {
  path: string;
  message: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const WIDGETS = new Set(['textarea', 'address']);

function checkProperty(path: string, property: Record<string, unknown>, problems: FormSchemaProblem[]): void {
  if (typeof property.title !== 'string' || property.title.trim() === '') {
    problems.push({ path, message: 'thiếu nhãn (title) tiếng Việt' });
  }
  if (property['x-widget'] !== undefined && !WIDGETS.has(String(property['x-widget']))) {
    problems.push({ path, message: `x-widget "${String(property['x-widget'])}" không được hỗ trợ` });
  }
  if (property.type === 'array') {
    const items = asRecord(property.items);
    const itemProps = asRecord(items?.properties);
    if (!items || items.type !== 'object' || !itemProps) {
      problems.push({ path, message: 'nhóm lặp (array) phải có items kiểu object với properties' });
    } else {
      for (const [name, child] of Object.entries(itemProps)) {
        const record = asRecord(child);
        if (record) checkProperty(`${path}.${name}`, record, problems);
      }
    }
  }
}

/** Returns every way a schema breaks the e-form conventions; empty means it is usable. */
export function checkFormSchema(schema: Record<string, unknown>): FormSchemaProblem[] {
  const problems: FormSchemaProblem[] = [];
  try {
    ajv.compile(schema);
  } catch (error) {
    return [{ path: 'formSchema', message: `JSON Schema không hợp lệ: ${error instanceof Error ? error.message : String(error)}` }];
  }
  if (schema.type !== 'object') problems.push({ path: 'formSchema.type', message: 'phải là "object"' });
  const properties = asRecord(schema.properties);
  if (!properties || Object.keys(properties).length === 0) {
    problems.push({ path: 'formSchema.properties', message: 'biểu mẫu phải có ít nhất một trường' });
    return problems;
  }
  for (const [name, property] of Object.entries(properties)) {
    const record = asRecord(property);
    if (!record) problems.push({ path: `formSchema.properties.${name}`, message: 'phải là một object' });
    else checkProperty(`formSchema.properties.${name}`, record, problems);
  }
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  for (const name of required) {
    if (typeof name !== 'string' || !(name in properties)) {
      problems.push({ path: 'formSchema.required', message: `trường bắt buộc "${String(name)}" không có trong properties` });
    }
  }
  const steps = schema['x-steps'];
  if (steps !== undefined) {
    if (!Array.isArray(steps) || steps.length === 0) {
      problems.push({ path: 'formSchema.x-steps', message: 'phải là danh sách bước không rỗng' });
    } else {
      const seen = new Map<string, number>();
      steps.forEach((step, index) => {
        const record = asRecord(step);
        if (!record || typeof record.title !== 'string' || !Array.isArray(record.fields)) {
          problems.push({ path: `formSchema.x-steps.${index}`, message: 'mỗi bước cần title và fields' });
          return;
        }
        for (const field of record.fields as unknown[]) {
          const name = String(field);
          if (!(name in properties)) problems.push({ path: `formSchema.x-steps.${index}`, message: `trường "${name}" không có trong properties` });
          seen.set(name, (seen.get(name) ?? 0) + 1);
        }
      });
      for (const name of Object.keys(properties)) {
        const count = seen.get(name) ?? 0;
        if (count !== 1) problems.push({ path: 'formSchema.x-steps', message: `trường "${name}" phải thuộc đúng một bước (đang ở ${count})` });
      }
    }
  }
  return problems;
}

/** The steps of a form; a form without x-steps is one step holding every field. */
export function formSteps(schema: Record<string, unknown>): FormStep[] {
  const steps = schema['x-steps'];
  if (Array.isArray(steps) && steps.length > 0) return steps as FormStep[];
  return [{ title: String(schema.title ?? ''), fields: Object.keys(asRecord(schema.properties) ?? {}) }];
}
