// The attachment slots of a procedure: one for each document the applicant must hand in. The
// declaration form that the e-form itself replaces has no slot (the applicant fills it online),
// and a document that is only shown at the desk ("xuất trình") has none either.
import { ACCEPTED_TYPES, type AcceptedType } from '../document/document.service.js';

export interface RequiredDocumentLike {
  name: string;
  form: 'original' | 'copy' | 'original-or-copy' | 'present';
  quantity: number;
  note?: string | undefined;
  template?: string | undefined;
}

export interface AttachmentSlot {
  /** The document's position in the procedure's list: stable for a procedure version. */
  index: number;
  name: string;
  note: string | null;
  required: boolean;
  accept: readonly AcceptedType[];
}

// A note such as "nếu có", "nếu ủy quyền", "trường hợp bị rách, nát" or "tùy trường hợp" makes a
// document conditional: the applicant attaches it only when it applies to them.
const CONDITIONAL_NOTE = /^\s*(nếu|trường hợp|khi|tùy)/iu;

/** With `paper`, the declaration form keeps its slot: a walk-in or postal applicant hands it in
 *  on paper and reception scans it. */
export function attachmentSlots(procedureCode: string, documents: readonly RequiredDocumentLike[], options: { paper?: boolean } = {}): AttachmentSlot[] {
  const ownForm = `/thu-tuc/${procedureCode}/mau-don`;
  return documents.flatMap((document, index) => {
    if (document.form === 'present' || (document.template === ownForm && !options.paper)) return [];
    return [{ index, name: document.name, note: document.note ?? null, required: !CONDITIONAL_NOTE.test(document.note ?? ''), accept: ACCEPTED_TYPES }];
  });
}
