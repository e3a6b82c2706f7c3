// How the applicant wants the result: online (into the e-repository), at the one-stop desk, or by
// post through the public postal service (bưu chính công ích, Decision 45/2016/QĐ-TTg), chosen
// before submitting. The postal address is a small e-form of its own, so that it is rendered,
// parsed and validated exactly as the procedure's forms are (the address picker included). The
// officer who returns the result records the shipment reference (workflow return_result).
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { validateEformData } from './eform/eform-validate.js';

export const resultDeliveryMethods = ['online', 'in_person', 'post'] as const;
export type ResultDeliveryMethod = (typeof resultDeliveryMethods)[number];

export interface PostalAddress {
  recipient: string;
  phone: string;
  provinceCode: string;
  communeCode: string;
  street: string;
}

/** What the applicant sends: the method, and for 'post' the address (the e-form's shape). */
export interface ResultDeliveryInput {
  method: string;
  post?: { recipient?: unknown; phone?: unknown; address?: { provinceCode?: unknown; communeCode?: unknown; street?: unknown } } | undefined;
}

/** The e-form of the postal address: field `resultPost`, required only when the method is 'post'. */
export const postalAddressForm = {
  type: 'object',
  required: ['resultPost'],
  properties: {
    resultPost: {
      type: 'object',
      title: 'Địa chỉ nhận kết quả qua bưu chính',
      required: ['recipient', 'phone', 'address'],
      properties: {
        recipient: { type: 'string', title: 'Người nhận', minLength: 1, maxLength: 200 },
        phone: { type: 'string', title: 'Số điện thoại người nhận', description: 'Nhân viên bưu điện gọi số này khi giao.', pattern: '^0[0-9]{9}$', maxLength: 10 },
        address: {
          type: 'object',
          title: 'Địa chỉ nhận',
          'x-widget': 'address',
          required: ['provinceCode', 'communeCode', 'street'],
          properties: {
            provinceCode: { type: 'string', title: 'Tỉnh, thành phố' },
            communeCode: { type: 'string', title: 'Xã, phường, đặc khu' },
            street: { type: 'string', title: 'Số nhà, đường, thôn, ấp', minLength: 1, maxLength: 200 },
          },
        },
      },
    },
  },
} as const satisfies Record<string, unknown>;

/** A stored address in the form's shape (the API's and the fields' values). */
export function postalFormValue(address: PostalAddress | null) {
  if (!address) return null;
  return { recipient: address.recipient, phone: address.phone, address: { provinceCode: address.provinceCode, communeCode: address.communeCode, street: address.street } };
}

/**
 * Checks a choice and returns the columns to store; every problem is named by its field
 * ('delivery', 'resultPost.recipient', 'resultPost.address.communeCode', …), and nothing is stored when
 * there is one (422).
 */
export function checkResultDelivery(
  input: ResultDeliveryInput,
  options: { locale: 'vi' | 'en'; communeCodes: ReadonlyMap<string, ReadonlySet<string>> },
): { resultDelivery: ResultDeliveryMethod; resultPostAddress: PostalAddress | null } {
  const method = resultDeliveryMethods.find((m) => m === input.method);
  if (!method) throw new AppError('unprocessable', 'dossier.error.invalidData', {}, [{ name: 'delivery', message: { key: 'dossier.error.deliveryUnknown' } }]);
  if (method !== 'post') return { resultDelivery: method, resultPostAddress: null };
  // Every part is checked, even when none was given, so that each missing field is named.
  const data = { resultPost: { ...input.post, address: input.post?.address ?? {} } };
  const problems: FieldProblem[] = validateEformData(postalAddressForm, data, { locale: options.locale, communeCodes: options.communeCodes }).map((p) => ({ name: p.name, message: p.message }));
  if (problems.length) throw new AppError('unprocessable', 'dossier.error.invalidData', {}, problems);
  const post = input.post!;
  const address = post.address!;
  return {
    resultDelivery: 'post',
    resultPostAddress: {
      recipient: String(post.recipient).trim(),
      phone: String(post.phone),
      provinceCode: String(address.provinceCode),
      communeCode: String(address.communeCode),
      street: String(address.street).trim(),
    },
  };
}
