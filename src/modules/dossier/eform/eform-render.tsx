// Renders the inputs of one step of a procedure's e-form with the shared components, and the
// read-only answers for "Kiểm tra thông tin". Input names follow eform-parse.ts (`f.<path>`); ids
// are fieldId(<path>) with the paths validateEformData reports, so error-summary links land on them.
// Works without JavaScript; address-picker.js only filters the communes.
import type { ComponentChildren, JSX } from 'preact';
import { Button, DateInput, Fieldset, Radios, Select, TextInput, Textarea, fieldId } from '../../../platform/html/components.js';
import type { PageContext } from '../../../platform/html/page-context.js';
import { addressPickerScriptUrl } from '../../../platform/http/assets.js';
import {
  type Json,
  asRecord,
  dateParts,
  descriptionOf,
  fieldKind,
  isDigitPattern,
  itemSchemaOf,
  lowerFirst,
  numberText,
  propertiesOf,
  propertyOf,
  requiredOf,
  selectOptions,
  titleOf,
} from './eform-schema.js';

export interface AddressChoices {
  provinces: { code: string; name: string; communes: { code: string; name: string }[] }[];
}

interface FieldProps {
  ctx: PageContext;
  /** The field's path in the data ('applicantName', 'documents.0.pages'): its id and error key. */
  path: string;
  prop: Json;
  required: boolean;
  value: unknown;
  errors: Record<string, string>;
  address: AddressChoices;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function inputText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  return '';
}

function labelOf(ctx: PageContext, prop: Json, path: string, required: boolean): string {
  const title = titleOf(prop, lastSegment(path));
  return required ? title : `${title} ${ctx.t('eform.optional')}`;
}

function Field(props: FieldProps): JSX.Element {
  const { ctx, path, prop, value, errors } = props;
  const kind = fieldKind(prop);
  const name = `f.${path}`;
  const id = fieldId(path);
  const label = labelOf(ctx, prop, path, props.required);
  const hint = descriptionOf(prop);
  const error = errors[path];
  switch (kind) {
    case 'group':
      return <GroupField {...props} />;
    case 'address':
      return <AddressField {...props} />;
    case 'object': {
      const required = requiredOf(prop);
      return (
        <Fieldset id={id} legend={label} hint={hint}>
          {propertiesOf(prop).map(([child, childProp]) => (
            <Field {...props} path={`${path}.${child}`} prop={childProp} required={required.has(child)} value={asRecord(value)?.[child]} />
          ))}
        </Fieldset>
      );
    }
    case 'date': {
      // The validator names the box to fix: '.month' or '.year' marks that box, '.day' all three.
      const [dayError, monthError, yearError] = (['day', 'month', 'year'] as const).map((p) => errors[`${path}.${p}`]);
      const dateError = dayError ?? monthError ?? yearError ?? error;
      const errorParts = dayError || error ? undefined : monthError ? (['month'] as const) : yearError ? (['year'] as const) : undefined;
      return (
        <DateInput
          name={name}
          id={id}
          label={label}
          hint={[hint, ctx.t('eform.date.hint')].filter(Boolean).join(' ')}
          error={dateError}
          errorParts={errorParts}
          value={dateParts(value)}
          labels={{ day: ctx.t('eform.date.day'), month: ctx.t('eform.date.month'), year: ctx.t('eform.date.year') }}
        />
      );
    }
    case 'select':
      return <Select name={name} id={id} label={label} hint={hint} error={error} value={inputText(value)} emptyLabel={ctx.t('eform.choose')} options={selectOptions(prop) ?? []} />;
    case 'boolean':
      return (
        <Radios
          name={name}
          id={id}
          label={label}
          hint={hint}
          error={error}
          inline
          value={value === true ? 'yes' : value === false ? 'no' : typeof value === 'string' ? value : undefined}
          options={[
            { value: 'yes', label: ctx.t('eform.yes') },
            { value: 'no', label: ctx.t('eform.no') },
          ]}
        />
      );
    case 'textarea':
      return <Textarea name={name} id={id} label={label} hint={hint} error={error} value={inputText(value)} />;
    case 'integer':
    case 'number':
      return <TextInput name={name} id={id} label={label} hint={hint} error={error} value={inputText(value)} inputmode={kind === 'integer' ? 'numeric' : 'decimal'} spellcheck={false} />;
    case 'email':
      return <TextInput name={name} id={id} type="email" label={label} hint={hint} error={error} value={inputText(value)} spellcheck={false} />;
    default:
      return (
        <TextInput
          name={name}
          id={id}
          label={label}
          hint={hint}
          error={error}
          value={inputText(value)}
          inputmode={isDigitPattern(prop.pattern) ? 'numeric' : undefined}
          spellcheck={isDigitPattern(prop.pattern) ? false : undefined}
        />
      );
  }
}

/** A fieldset (legend = the address's title) with the province, the commune (grouped by province, so
 *  that it works without JavaScript) and the street. */
function AddressField(props: FieldProps): JSX.Element {
  const { ctx, path, prop, errors, address } = props;
  const value = asRecord(props.value) ?? {};
  const required = requiredOf(prop);
  const parts = propertiesOf(prop);
  return (
    <div class="address-picker" data-address-picker="" data-filter-label={ctx.t('eform.address.filter')}>
      <Fieldset id={fieldId(path)} legend={labelOf(ctx, prop, path, props.required)} hint={descriptionOf(prop)}>
        {parts.map(([part, partProp]) => {
          const partPath = `${path}.${part}`;
          const label = labelOf(ctx, partProp, partPath, required.has(part));
          const common = { name: `f.${partPath}`, id: fieldId(partPath), label, hint: descriptionOf(partProp), error: errors[partPath], value: inputText(value[part]), emptyLabel: ctx.t('eform.choose') };
          if (part === 'provinceCode') {
            return <Select {...common} options={address.provinces.map((p) => ({ value: p.code, label: p.name }))} />;
          }
          if (part === 'communeCode') {
            return <Select {...common} options={[]} groups={address.provinces.map((p) => ({ label: p.name, key: p.code, options: p.communes.map((c) => ({ value: c.code, label: c.name })) }))} />;
          }
          return <Field {...props} path={partPath} prop={partProp} required={required.has(part)} value={value[part]} />;
        })}
      </Fieldset>
    </div>
  );
}

/** A repeating group: a fieldset per item with its "Xoá" button, and one "Thêm …" button. Both are
 *  submit buttons named `action` (see parseRepeatAction); there is always at least one item (or
 *  minItems items) to fill in. */
function GroupField(props: FieldProps): JSX.Element {
  const { ctx, path, prop, errors } = props;
  const title = titleOf(prop, lastSegment(path));
  const item = itemSchemaOf(prop);
  const children = propertiesOf(item);
  const required = requiredOf(item);
  const list = Array.isArray(props.value) ? props.value : [];
  const min = Math.max(1, typeof prop.minItems === 'number' ? prop.minItems : 0);
  const max = typeof prop.maxItems === 'number' ? prop.maxItems : Number.POSITIVE_INFINITY;
  const rows = Array.from({ length: Math.max(list.length, min) }, (_, i) => asRecord(list[i]) ?? {});
  return (
    <Fieldset id={fieldId(path)} class="eform-group" legend={labelOf(ctx, prop, path, props.required)} hint={descriptionOf(prop)} error={errors[path]}>
      {rows.map((row, index) => {
        const itemTitle = ctx.t('eform.group.item', { title, n: index + 1 });
        return (
          <fieldset class="fieldset eform-item">
            <legend class="fieldset__legend eform-item__legend">{itemTitle}</legend>
            {children.map(([child, childProp]) => (
              <Field {...props} path={`${path}.${index}.${child}`} prop={childProp} required={required.has(child)} value={row[child]} />
            ))}
            {rows.length > min ? (
              <Button variant="secondary" name="action" value={`remove:${path}:${index}`}>
                {ctx.t('eform.group.remove')}
                <span class="visually-hidden"> {itemTitle}</span>
              </Button>
            ) : null}
          </fieldset>
        );
      })}
      {rows.length < max ? (
        <Button variant="secondary" name="action" value={`add:${path}`}>
          {ctx.t('eform.group.add', { title, label: lowerFirst(title) })}
        </Button>
      ) : null}
    </Fieldset>
  );
}

function hasKind(schema: Json, fields: readonly string[], kind: 'address' | 'group'): boolean {
  const visit = (prop: Json): boolean => {
    const k = fieldKind(prop);
    if (k === kind) return true;
    if (k === 'group') return propertiesOf(itemSchemaOf(prop)).some(([, child]) => visit(child));
    if (k === 'object') return propertiesOf(prop).some(([, child]) => visit(child));
    return false;
  };
  return fields.some((field) => {
    const prop = propertyOf(schema, field);
    return prop ? visit(prop) : false;
  });
}

/** The inputs of one step of the e-form, labels above inputs, hints under labels (schema
 *  `description`), each with its error message; values pre-filled from `data`; `errors` keyed by
 *  the names validateEformData returns. The caller renders the <form>, the error summary and the
 *  buttons. When the step has a repeating group, a visually hidden, nameless submit button comes
 *  first, so that pressing Enter in a text box submits the step (a POST without `action`) instead
 *  of pressing the first "Xoá". */
export function EformFields(props: {
  ctx: PageContext;
  schema: Record<string, unknown>;
  fields: readonly string[];
  data: Record<string, unknown>;
  errors: Record<string, string>;
  address: AddressChoices;
}): JSX.Element {
  const { ctx, schema, fields, data, errors, address } = props;
  const required = requiredOf(schema);
  const present = fields.flatMap((field) => {
    const prop = propertyOf(schema, field);
    return prop ? [[field, prop] as const] : [];
  });
  return (
    <>
      {hasKind(schema, fields, 'group') ? (
        <button type="submit" class="visually-hidden" tabIndex={-1} aria-hidden="true">
          {ctx.t('eform.continue')}
        </button>
      ) : null}
      {present.map(([field, prop]) => (
        <Field ctx={ctx} path={field} prop={prop} required={required.has(field)} value={data[field]} errors={errors} address={address} />
      ))}
      {hasKind(schema, fields, 'address') ? <script src={addressPickerScriptUrl} defer /> : null}
    </>
  );
}

function formatNumber(ctx: PageContext, value: number): string {
  return new Intl.NumberFormat(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 20 }).format(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function addressText(value: Json, address: AddressChoices): string {
  const province = address.provinces.find((p) => p.code === value.provinceCode);
  const communes = province ? province.communes : address.provinces.flatMap((p) => p.communes);
  const commune = communes.find((c) => c.code === value.communeCode) ?? address.provinces.flatMap((p) => p.communes).find((c) => c.code === value.communeCode);
  const parts = [
    typeof value.street === 'string' ? value.street : undefined,
    commune?.name ?? (typeof value.communeCode === 'string' ? value.communeCode : undefined),
    province?.name ?? (typeof value.provinceCode === 'string' ? value.provinceCode : undefined),
  ];
  return parts.filter((p): p is string => Boolean(p)).join(', ');
}

function Pairs({ ctx, schema, value, address }: { ctx: PageContext; schema: Json; value: Json; address: AddressChoices }) {
  return (
    <>
      {propertiesOf(schema).map(([child, childProp]) =>
        isEmpty(value[child]) ? null : (
          <span class="eform-answer__pair">
            <span class="eform-answer__key">{titleOf(childProp, child)}: </span>
            {answerValue(ctx, childProp, value[child], address)}
          </span>
        ),
      )}
    </>
  );
}

function answerValue(ctx: PageContext, prop: Json, value: unknown, address: AddressChoices): ComponentChildren {
  if (isEmpty(value)) return <span class="eform-answer__none">{ctx.t('eform.answer.none')}</span>;
  switch (fieldKind(prop)) {
    case 'select':
      return selectOptions(prop)?.find((o) => o.value === String(value))?.label ?? String(value);
    case 'boolean':
      return value === true ? ctx.t('eform.yes') : value === false ? ctx.t('eform.no') : String(value);
    case 'date': {
      const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
      return match ? `${match[3]}/${match[2]}/${match[1]}` : String(value);
    }
    case 'integer':
    case 'number':
      return typeof value === 'number' ? formatNumber(ctx, value) : String(value);
    case 'textarea':
      return String(value)
        .split('\n')
        .map((line, i) => (i === 0 ? line : [<br />, line]));
    case 'address': {
      const record = asRecord(value);
      return record ? addressText(record, address) : String(value);
    }
    case 'group': {
      if (!Array.isArray(value)) return String(value);
      const item = itemSchemaOf(prop);
      return (
        <ol class="eform-answer__list">
          {value.map((row) => (
            <li>
              <Pairs ctx={ctx} schema={item} value={asRecord(row) ?? {}} address={address} />
            </li>
          ))}
        </ol>
      );
    }
    case 'object': {
      const record = asRecord(value);
      return record ? <Pairs ctx={ctx} schema={prop} value={record} address={address} /> : String(value);
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** A read-only rendering of the answers for the "Kiểm tra thông tin" page: a summary-list row per
 *  field (title → the human value: option title for selects, "Có"/"Không", dates as dd/mm/yyyy,
 *  address as "street, commune name, province name", groups as a numbered list). */
export function eformAnswerRows(
  ctx: PageContext,
  schema: Record<string, unknown>,
  fields: readonly string[],
  data: Record<string, unknown>,
  address: AddressChoices,
): { key: string; value: ComponentChildren }[] {
  return fields.flatMap((field) => {
    const prop = propertyOf(schema, field);
    if (!prop) return [];
    return [{ key: titleOf(prop, field), value: answerValue(ctx, prop, data[field], address) }];
  });
}
