// Ajv's errors as field problems with catalogue messages: one mapping for route validation,
// imports and e-forms, so the same mistake reads the same everywhere.
import type { FieldProblem } from '../errors/app-error.js';
import type { MessageKey } from '../i18n/i18n.js';

export interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

export function problemFromAjvError(error: AjvError): FieldProblem {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return { name: [path, String(p.missingProperty)].filter(Boolean).join('.'), message: { key: 'validation.required' } };
    case 'additionalProperties':
      return { name: [path, String(p.additionalProperty)].filter(Boolean).join('.'), message: { key: 'validation.additional', params: { name: String(p.additionalProperty) } } };
    case 'type':
      return { name: path, message: p.type === 'integer' ? { key: 'validation.integer' } : p.type === 'number' ? { key: 'validation.number' } : { key: 'validation.type', params: { type: String(p.type) } } };
    case 'minimum':
    case 'maximum':
    case 'maxLength':
    case 'minLength':
      return { name: path, message: { key: `validation.${error.keyword}` as MessageKey, params: { limit: String(p.limit) } } };
    case 'enum':
      return { name: path, message: { key: 'validation.enum', params: { values: (p.allowedValues as unknown[]).join(', ') } } };
    case 'pattern':
      return { name: path, message: { key: 'validation.pattern' } };
    case 'format':
      return { name: path, message: { key: 'validation.format', params: { format: String(p.format) } } };
    default:
      return { name: path, message: { key: 'validation.other' } };
  }
}
