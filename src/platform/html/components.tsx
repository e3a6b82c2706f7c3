// The shared components of UI.md: one implementation each, used by every module.
// Preact escapes every text and attribute value, so no component builds HTML by hand.
import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../errors/app-error.js';
import type { PageContext } from './page-context.js';
import { hrefWith } from './page-context.js';

export interface Crumb {
  href?: string;
  label: string;
}

export function Breadcrumbs({ ctx, items }: { ctx: PageContext; items: Crumb[] }) {
  return (
    <nav class="breadcrumbs" aria-label={ctx.t('nav.breadcrumb')}>
      <ol>
        {items.map((item) => (
          <li>{item.href ? <a href={item.href}>{item.label}</a> : <span aria-current="page">{item.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

/** GOV.UK error summary: at the top, focusable, each problem linking to its field. */
/** A problem may name a field on another page (`href`), as on "Kiểm tra thông tin". */
export function ErrorSummary({ title, problems }: { title: string; problems: { name: string; message: string; href?: string | undefined }[] }) {
  if (problems.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {problems.map((p) => (
          <li>
            <a href={p.href ?? `#${fieldId(p.name)}`}>{p.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** The element's id when it differs from fieldId(name): the error summary links to it. */
  id?: string | undefined;
}

function Hint({ id, hint }: { id: string; hint: string | undefined }) {
  return hint ? (
    <span class="hint" id={`${id}-hint`}>
      {hint}
    </span>
  ) : null;
}

function ErrorMessage({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <span class="error-message" id={`${id}-error`}>
      <span class="visually-hidden">Lỗi: </span>
      {error}
    </span>
  ) : null;
}

function FieldWrapper({ name, id: explicitId, label, hint, error, children }: FieldProps & { children: ComponentChildren }) {
  const id = explicitId ?? fieldId(name);
  return (
    <div class={error ? 'form-group form-group--error' : 'form-group'}>
      <label for={id}>{label}</label>
      <Hint id={id} hint={hint} />
      <ErrorMessage id={id} error={error} />
      {children}
    </div>
  );
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function TextInput(
  props: FieldProps & { value?: string | undefined; type?: 'text' | 'search' | 'email' | 'tel' | 'number' | 'date' | 'password'; autocomplete?: string; inputmode?: string; maxLength?: number; spellcheck?: boolean },
) {
  const { name, hint, error } = props;
  const id = props.id ?? fieldId(name);
  return (
    <FieldWrapper {...props}>
      <input
        class={error ? 'input--error' : undefined}
        id={id}
        name={name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        inputMode={props.inputmode as never}
        maxLength={props.maxLength}
        spellcheck={props.spellcheck}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? 'true' : undefined}
      />
    </FieldWrapper>
  );
}

export function Textarea(props: FieldProps & { value?: string | undefined; rows?: number; maxLength?: number }) {
  const { name, hint, error } = props;
  const id = props.id ?? fieldId(name);
  return (
    <FieldWrapper {...props}>
      <textarea
        class={error ? 'input--error' : undefined}
        id={id}
        name={name}
        rows={props.rows ?? 5}
        maxLength={props.maxLength}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.value ?? ''}
      </textarea>
    </FieldWrapper>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** Options under a heading (<optgroup>); `key` is written as data-group, for page scripts that filter. */
export interface OptionGroup {
  label: string;
  key?: string;
  options: Option[];
}

export function Select(props: FieldProps & { options: Option[]; groups?: OptionGroup[]; value?: string | undefined; emptyLabel?: string }) {
  const { name, hint, error } = props;
  const id = props.id ?? fieldId(name);
  const option = (o: Option) => (
    <option value={o.value} selected={o.value === props.value}>
      {o.label}
    </option>
  );
  return (
    <FieldWrapper {...props}>
      <select
        class={error ? 'input--error' : undefined}
        id={id}
        name={name}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.emptyLabel !== undefined ? <option value="">{props.emptyLabel}</option> : null}
        {props.options.map(option)}
        {(props.groups ?? []).map((g) => (
          <optgroup label={g.label} data-group={g.key}>
            {g.options.map(option)}
          </optgroup>
        ))}
      </select>
    </FieldWrapper>
  );
}

/** GOV.UK fieldset: one question made of several inputs (an address, a repeating group). The legend
 *  names it; its hint and error sit under the legend. `id` is the fieldset's own, for summary links. */
export function Fieldset({
  id,
  legend,
  hint,
  error,
  class: extraClass,
  children,
}: {
  id: string;
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={error ? 'form-group form-group--error' : 'form-group'}>
      <fieldset class={extraClass ? `fieldset ${extraClass}` : 'fieldset'} id={id} aria-describedby={describedBy(id, hint, error)}>
        <legend class="fieldset__legend">{legend}</legend>
        <Hint id={id} hint={hint} />
        <ErrorMessage id={id} error={error} />
        {children}
      </fieldset>
    </div>
  );
}

/** Radio buttons in a fieldset (the label is its legend). The first radio carries the field's id,
 *  so that the error summary lands on it; the others get `<id>-2`, `<id>-3`, … */
export function Radios(props: FieldProps & { options: Option[]; value?: string | undefined; inline?: boolean }) {
  const { name, label, hint, error } = props;
  const id = props.id ?? fieldId(name);
  return (
    <div class={error ? 'form-group form-group--error' : 'form-group'}>
      <fieldset class="fieldset" aria-describedby={describedBy(id, hint, error)}>
        <legend class="fieldset__legend">{label}</legend>
        <Hint id={id} hint={hint} />
        <ErrorMessage id={id} error={error} />
        <div class={props.inline ? 'radios radios--inline' : 'radios'}>
          {props.options.map((o, i) => {
            const optionId = i === 0 ? id : `${id}-${i + 1}`;
            return (
              <div class="radios__item">
                <input class="radios__input" id={optionId} name={name} type="radio" value={o.value} checked={o.value === props.value} />
                <label class="radios__label" for={optionId}>
                  {o.label}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export interface DateParts {
  day?: string | undefined;
  month?: string | undefined;
  year?: string | undefined;
}

/** A date as three boxes (ngày, tháng, năm) in a fieldset, as UI.md asks. The boxes are named
 *  `<name>.day`, `.month`, `.year` with ids `<id>-day`, … ; `labels` are the boxes' own labels and
 *  the hint should show the expected format. `errorParts` are the boxes to mark (all by default). */
export function DateInput(
  props: FieldProps & { value?: DateParts | undefined; labels: { day: string; month: string; year: string }; errorParts?: readonly (keyof DateParts)[] },
) {
  const { name, label, hint, error } = props;
  const id = props.id ?? fieldId(name);
  const marked = new Set(error ? (props.errorParts ?? ['day', 'month', 'year']) : []);
  const box = (part: keyof DateParts, width: number) => (
    <div class="date-input__item">
      <label class="date-input__label" for={`${id}-${part}`}>
        {props.labels[part]}
      </label>
      <input
        class={marked.has(part) ? `input--width-${width} input--error` : `input--width-${width}`}
        id={`${id}-${part}`}
        name={`${name}.${part}`}
        type="text"
        inputMode="numeric"
        value={props.value?.[part] ?? ''}
        aria-invalid={marked.has(part) ? 'true' : undefined}
      />
    </div>
  );
  return (
    <div class={error ? 'form-group form-group--error' : 'form-group'}>
      <fieldset class="fieldset" role="group" aria-describedby={describedBy(id, hint, error)}>
        <legend class="fieldset__legend">{label}</legend>
        <Hint id={id} hint={hint} />
        <ErrorMessage id={id} error={error} />
        <div class="date-input">
          {box('day', 2)}
          {box('month', 2)}
          {box('year', 4)}
        </div>
      </fieldset>
    </div>
  );
}

export function Button({
  children,
  variant = 'primary',
  href,
  type = 'submit',
  name,
  value,
}: {
  children: ComponentChildren;
  variant?: 'primary' | 'secondary' | 'warning' | 'start';
  href?: string;
  type?: 'submit' | 'button';
  name?: string;
  value?: string;
}) {
  const cls = variant === 'primary' ? 'button' : variant === 'start' ? 'button button--start' : `button button--${variant}`;
  if (href) {
    return (
      <a class={cls} href={href} role="button" draggable={false}>
        {children}
      </a>
    );
  }
  return (
    <button class={cls} type={type} name={name} value={value}>
      {children}
    </button>
  );
}

export function NotificationBanner({ children, variant = 'info' }: { children: ComponentChildren; variant?: 'info' | 'warning' }) {
  return (
    <div class={variant === 'warning' ? 'banner banner--warning' : 'banner'} role="region" aria-label={variant === 'warning' ? 'Lưu ý' : 'Thông báo'}>
      {children}
    </div>
  );
}

export function Panel({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="panel">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

export function SummaryList({ rows }: { rows: { key: string; value: ComponentChildren }[] }) {
  return (
    <dl class="summary-list">
      {rows.map((row) => (
        <div class="summary-list__row">
          <dt>{row.key}</dt>
          <dd>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface Column<T> {
  header: string;
  cell: (row: T) => ComponentChildren;
  numeric?: boolean;
}

export function Table<T>({ caption, columns, rows }: { caption?: string; columns: Column<T>[]; rows: T[] }) {
  return (
    <table class="table">
      {caption ? <caption class="visually-hidden">{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" class={c.numeric ? 'num' : undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            {columns.map((c) => (
              <td class={c.numeric ? 'num' : undefined}>{c.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A status tag: colour is never the only signal, the words always say it too (UI.md). */
export function Tag({ children, colour }: { children: ComponentChildren; colour?: 'green' | 'amber' | 'red' | 'grey' | 'blue' }) {
  return <strong class={colour && colour !== 'blue' ? `tag tag--${colour}` : 'tag'}>{children}</strong>;
}

export function Pagination({
  ctx,
  page,
  pageSize,
  total,
}: {
  ctx: PageContext;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const link = (p: number) => hrefWith(ctx.path, { ...ctx.query, page: p === 1 ? undefined : p });
  return (
    <nav aria-label={ctx.t('pagination.label')}>
      <ul class="pagination">
        {page > 1 ? (
          <li>
            <a href={link(page - 1)} rel="prev">
              ‹ {ctx.t('pagination.previous')}
            </a>
          </li>
        ) : null}
        <li>{ctx.t('pagination.page', { page, pages })}</li>
        {page < pages ? (
          <li>
            <a href={link(page + 1)} rel="next">
              {ctx.t('pagination.next')} ›
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

export function Tabs({ items }: { items: { href: string; label: string; count?: number; current?: boolean }[] }) {
  return (
    <ul class="tabs">
      {items.map((item) => (
        <li>
          <a href={item.href} aria-current={item.current ? 'page' : undefined}>
            {item.label}
            {item.count !== undefined ? ` (${item.count})` : ''}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Problems from an AppError, ready for ErrorSummary, with messages in the page language. */
export function problemsForSummary(ctx: PageContext, problems: FieldProblem[]): { name: string; message: string }[] {
  return problems.map((p) => ({
    name: p.name,
    message: typeof p.message === 'string' ? p.message : ctx.t(p.message.key, p.message.params),
  }));
}
