// Demo obligations for the "Thanh toán trực tuyến" page, owed at phường Mỹ Tho (whose demo
// officers see them in the reconciliation report): an administrative fine, voluntary social
// insurance, a household's health insurance and a tax, each with its payer and reference, and the
// fee of the demo dossier waiting in status 6. The amounts are examples, not the legal rates.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { createDossierFeeObligation, insertObligation, type ObligationInput } from './payment-obligations.js';

const COMMUNE = '000.00.51.H20';

/** The demo lookups, for the README and the start banner: kind, reference, payer id. */
export const demoObligations: readonly Omit<ObligationInput, 'agencyId'>[] = [
  {
    kind: 'fine',
    reference: '125/QĐ-XPHC',
    description: 'Phạt vi phạm hành chính trong lĩnh vực trật tự, an toàn giao thông đường bộ',
    payerName: 'Nguyễn Văn An',
    payerIdNumber: '087090001234',
    lines: [{ label: 'Tiền phạt theo Quyết định số 125/QĐ-XPHC', amount: 400_000 }],
    dueDate: '2026-12-28',
  },
  {
    kind: 'social_insurance',
    reference: 'BHXH-8701234567-2026-12',
    description: 'Đóng bảo hiểm xã hội tự nguyện tháng 12/2026',
    payerName: 'Lê Thị Mai',
    payerIdNumber: '087193005678',
    lines: [{ label: 'Bảo hiểm xã hội tự nguyện, đóng hằng tháng', amount: 330_000 }],
    dueDate: '2026-12-31',
  },
  {
    kind: 'health_insurance',
    reference: 'BHYT-HGD-2026-0457',
    description: 'Bảo hiểm y tế hộ gia đình năm 2027',
    payerName: 'Phạm Văn Cường',
    payerIdNumber: '087088004321',
    lines: [
      { label: 'Người thứ nhất (12 tháng)', amount: 1_263_600 },
      { label: 'Người thứ hai (12 tháng)', amount: 884_520 },
    ],
    dueDate: '2026-12-31',
  },
  {
    kind: 'tax',
    reference: 'TB-2026-001234',
    description: 'Thuế sử dụng đất phi nông nghiệp năm 2026',
    payerName: 'Võ Thị Lan',
    payerIdNumber: '8012345678',
    lines: [{ label: 'Thuế sử dụng đất phi nông nghiệp', amount: 185_000 }],
    dueDate: '2026-12-31',
  },
];

/** Loads the demo obligations once (when there is none yet); returns how many it made. */
export async function seedDemoPayments(db: Kysely<DB>): Promise<number> {
  const existing = await db.selectFrom('paymentObligation').select('id').limit(1).executeTakeFirst();
  if (existing) return 0;
  const agency = await db.selectFrom('agency').select('id').where('code', '=', COMMUNE).executeTakeFirst();
  if (!agency) return 0;
  // The demo dossier paused for its fee (status 6), if the demo dossiers are there.
  const waiting = await db
    .selectFrom('dossier')
    .select(['id', 'agencyId', 'applicantName', 'applicantIdNumber'])
    .where('status', '=', 'financial')
    .where('agencyId', '=', agency.id)
    .orderBy('submittedAt')
    .executeTakeFirst();
  return db.transaction().execute(async (trx) => {
    let made = 0;
    for (const input of demoObligations) {
      await insertObligation(trx, { ...input, agencyId: agency.id });
      made += 1;
    }
    if (waiting?.applicantName && waiting.applicantIdNumber && waiting.agencyId) {
      await createDossierFeeObligation(trx, {}, {
        dossierId: waiting.id,
        agencyId: waiting.agencyId,
        payerName: waiting.applicantName,
        payerIdNumber: waiting.applicantIdNumber,
        lines: [{ label: 'Lệ phí cấp bản sao (2 bản)', amount: 16_000 }],
        description: 'Lệ phí cấp bản sao',
      });
      made += 1;
    }
    return made;
  });
}
