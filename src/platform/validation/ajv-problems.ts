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

function messageText(problem: FieldProblem): string {
  return typeof problem.message === 'string' ? problem.message : `${problem.message.key}:${JSON.stringify(problem.message.params ?? {})}`;
}

/** All of a validation's errors as problems, one per input and reason. A union that failed
 *  (anyOf) reports once: "one of these values" for a choice of constants, else its first reason,
 *  instead of one line per branch that was tried. */
export function problemsFromAjvErrors(errors: readonly AjvError[]): FieldProblem[] {
  const unionPaths = new Set(errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath));
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const push = (problem: FieldProblem) => {
    const key = `${problem.name}\u0000${messageText(problem)}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(problem);
  };
  for (const path of new Set(errors.map((e) => e.instancePath))) {
    const here = errors.filter((e) => e.instancePath === path);
    if (!unionPaths.has(path)) {
      here.forEach((e) => push(problemFromAjvError(e)));
      continue;
    }
    const constants = here.filter((e) => e.keyword === 'const').map((e) => e.params.allowedValue);
    if (constants.length > 0) {
      push(problemFromAjvError({ keyword: 'enum', instancePath: path, params: { allowedValues: constants } }));
    } else {
      const first = here.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? here[0]!;
      push(problemFromAjvError(first));
    }
  }
  return problems;
}
