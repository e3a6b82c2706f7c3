// Form plumbing shared by every module: a real <form> with its CSRF field, and the error summary
// and per-field messages of an AppError, as the GOV.UK pattern has them.
import type { ComponentChildren } from 'preact';
import type { AppError } from '../errors/app-error.js';
import { ErrorSummary, problemsForSummary } from './components.js';
import type { PageContext } from './page-context.js';

export function Form({ ctx, action, children, method = 'post', multipart = false }: { ctx: PageContext; action: string; children: ComponentChildren; method?: 'post' | 'get'; multipart?: boolean }) {
  // A multipart body is streamed to the handler, after the CSRF check has run, so an upload form
  // carries its token in the address as well (csrf.ts reads it there for multipart requests only).
  if (multipart) {
    const target = `${action}${action.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(ctx.csrfToken)}`;
    return (
      <form method="post" action={target} enctype="multipart/form-data" novalidate>
        {children}
      </form>
    );
  }
  return (
    <form method={method} action={action} novalidate>
      {method === 'post' ? <input type="hidden" name="_csrf" value={ctx.csrfToken} /> : null}
      {children}
    </form>
  );
}

export interface FormErrors {
  summary: { name: string; message: string; href?: string | undefined }[];
  byField: Record<string, string>;
  /** A message that belongs to no single field (a wrong password, an expired link). */
  general?: string | undefined;
}

export const noErrors: FormErrors = { summary: [], byField: {} };

export function formErrors(ctx: PageContext, error: AppError): FormErrors {
  const summary = problemsForSummary(ctx, error.problems);
  const byField: Record<string, string> = {};
  for (const p of summary) byField[p.name] ??= p.message;
  const general = error.problems.length === 0 ? ctx.t(error.messageKey, error.params) : undefined;
  return { summary: general ? [{ name: 'main', message: general }] : summary, byField, general };
}

export function FormErrorSummary({ ctx, errors }: { ctx: PageContext; errors: FormErrors }) {
  return <ErrorSummary title={ctx.t('form.errorTitle')} problems={errors.summary} />;
}
