// Demo accounts for a new installation's first start: a citizen and one officer per role at a
// current commune and at the province. Their passwords are generated here, never committed, and
// kept in DATA_DIR/keys/demo-accounts.txt so the start banner can show them again. Officers set
// up their second factor (TOTP) at their first login, as every officer must.
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Role } from '../../platform/access/access.js';
import { randomToken } from '../../platform/security/secrets.js';
import { hashPassword } from './password.js';

export interface DemoAccount {
  email: string;
  password: string;
  label: string;
}

const COMMUNE = '000.00.51.H20';
const PROVINCE = '000.00.00.H20';
/** The province land agency that does procedure 1.013978's liên thông step in the demo workflow. */
const LAND = '000.00.10.H20';

const officers: { email: string; name: string; role: Role; agency: string; label: string }[] = [
  { email: 'tiepnhan@demo.motcua.vn', name: 'Trần Thị Bích', role: 'reception', agency: COMMUNE, label: 'cán bộ tiếp nhận (phường Mỹ Tho)' },
  { email: 'chuyenvien@demo.motcua.vn', name: 'Lê Văn Cường', role: 'specialist', agency: COMMUNE, label: 'chuyên viên (phường Mỹ Tho)' },
  { email: 'lanhdao@demo.motcua.vn', name: 'Phạm Minh Đức', role: 'leader', agency: COMMUNE, label: 'lãnh đạo (phường Mỹ Tho)' },
  { email: 'lanhdao.dat@demo.motcua.vn', name: 'Huỳnh Văn Lợi', role: 'leader', agency: LAND, label: 'lãnh đạo (Sở Tài nguyên và Môi trường, bước liên thông)' },
  { email: 'chuyenvien.dat@demo.motcua.vn', name: 'Trương Thị Ngọc', role: 'specialist', agency: LAND, label: 'chuyên viên (Sở Tài nguyên và Môi trường, bước liên thông)' },
  { email: 'quantri.xa@demo.motcua.vn', name: 'Võ Thị Hoa', role: 'agency_admin', agency: COMMUNE, label: 'quản trị cơ quan (phường Mỹ Tho)' },
  { email: 'quantri.tinh@demo.motcua.vn', name: 'Nguyễn Quốc Hùng', role: 'province_admin', agency: PROVINCE, label: 'quản trị cấp tỉnh' },
  { email: 'kiemtra@demo.motcua.vn', name: 'Đặng Thu Lan', role: 'auditor', agency: PROVINCE, label: 'kiểm tra, giám sát (chỉ xem)' },
];

function demoPassword(): string {
  return `Demo-${randomToken(9)}`;
}

/** Creates the demo accounts once; afterwards reads them back from the data folder. */
export async function ensureDemoAccounts(db: Kysely<DB>, dataDir: string): Promise<DemoAccount[]> {
  const file = path.join(dataDir, 'keys', 'demo-accounts.txt');
  if (fs.existsSync(file)) {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('\t'))
      .map((line) => {
        const [email = '', password = '', label = ''] = line.split('\t');
        return { email, password, label };
      });
  }
  const existing = await db.selectFrom('account').select('id').where(sql`lower(email)`, 'like', '%@demo.motcua.vn').executeTakeFirst();
  if (existing) return [];
  const accounts: DemoAccount[] = [];
  await db.transaction().execute(async (trx) => {
    const citizenPassword = demoPassword();
    await trx
      .insertInto('account')
      .values({ kind: 'citizen', fullName: 'Nguyễn Văn An', idNumber: '087090001234', email: 'congdan@demo.motcua.vn', emailVerifiedAt: new Date(), phone: '0912345678', passwordHash: await hashPassword(citizenPassword), birthDate: '1990-05-12', address: 'Phường Mỹ Tho, tỉnh Đồng Tháp' } as never)
      .execute();
    accounts.push({ email: 'congdan@demo.motcua.vn', password: citizenPassword, label: 'công dân' });
    for (const officer of officers) {
      const agency = await trx.selectFrom('agency').select('id').where('code', '=', officer.agency).executeTakeFirst();
      if (!agency) continue;
      const password = demoPassword();
      const { id } = await trx
        .insertInto('account')
        .values({ kind: 'officer', fullName: officer.name, email: officer.email, emailVerifiedAt: new Date(), passwordHash: await hashPassword(password) } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('roleAssignment').values({ accountId: id, role: officer.role, agencyId: agency.id, grantedBy: null, revokedAt: null, revokedBy: null }).execute();
      accounts.push({ email: officer.email, password, label: officer.label });
    }
  });
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${accounts.map((a) => `${a.email}\t${a.password}\t${a.label}`).join('\n')}\n`, { mode: 0o600 });
  return accounts;
}
