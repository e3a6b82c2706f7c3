// `motcua audit verify` (npm run audit:verify): checks the whole chain and says where it breaks.
// Exit code 0 when the chain is intact (or empty), 1 when it is broken.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { verifyAuditChain } from './audit.js';

export async function runAuditVerify(db: Kysely<DB>, out: (line: string) => void): Promise<number> {
  const started = Date.now();
  const report = await verifyAuditChain(db, { batchSize: 5000 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (report.firstBroken) {
    out(`Chuỗi nhật ký bị phá vỡ tại bản ghi ${report.firstBroken.id}: ${report.firstBroken.reason}`);
    out(`Đã kiểm tra ${report.checked} bản ghi trong ${seconds} giây; từ bản ghi ${report.firstBroken.id} trở đi, nhật ký không còn được chuỗi băm bảo đảm.`);
    return 1;
  }
  if (!report.head) {
    out('Nhật ký kiểm toán chưa có bản ghi nào.');
    return 0;
  }
  out(`Chuỗi nhật ký nguyên vẹn: đã kiểm tra ${report.checked} bản ghi trong ${seconds} giây.`);
  // The chain cannot show entries removed from its end: the operator keeps the head elsewhere.
  out(`Bản ghi cuối: ${report.head.id}, hash ${report.head.hash} (lưu lại giá trị này ở nơi khác để phát hiện việc xoá các bản ghi cuối).`);
  return 0;
}
