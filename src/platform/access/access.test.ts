import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { AppError } from '../errors/app-error.js';
import { translate, type MessageKey } from '../i18n/i18n.js';
import { grantsFor, hasAccess, ownerAccountIdOf, permissions, requireAccess, rolePermissions, roles, tokenScopes, type Actor, type Permission, type Role, type RoleGrant, type TokenScope } from './access.js';

const doc = fs.readFileSync(new URL('../../../docs/access.md', import.meta.url), 'utf8');

/** The rows of the markdown table whose header starts with `| first |` and has `second` next. */
function table(first: string, second: string): string[][] {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} | ${second} `) || l.startsWith(`| ${first} | ${second}|`));
  assert.ok(start >= 0, `docs/access.md has a table starting "| ${first} | ${second}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split('|').map((c) => c.trim()));
  }
  return [rows[0]!, ...rows.slice(2)]; // header, then body (the separator dropped)
}

function officer(grants: [Role, string][], mfaPassed = true): Actor {
  return { kind: 'officer', accountId: 7, name: 'Cán bộ', grants: grants.map(([role, agencyPath], i): RoleGrant => ({ role, agencyId: i + 1, agencyPath })), mfaPassed, sessionId: 's' };
}
const citizen: Actor = { kind: 'citizen', accountId: 42, name: 'Công dân', grants: [], mfaPassed: false, sessionId: 's' };
const business: Actor = { kind: 'business', accountId: 43, name: 'Doanh nghiệp', grants: [], mfaPassed: false, sessionId: 's' };
const token = (scopes: TokenScope[], agencyPath: string | null = null): Actor => ({ kind: 'api_token', tokenId: 3, scopes, agencyPath, accountId: null });

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof AppError);
    return `${error.code} ${error.status}`;
  }
}

describe('docs/access.md', () => {
  test('the roles-and-permissions table is the code’s table, citizens’ own row included', () => {
    const [header, ...rows] = table('role', 'backoffice.access');
    assert.deepEqual(header!.slice(1), [...permissions], 'one column per permission, in the code’s order');
    const fromDoc = Object.fromEntries(rows.map(([name, ...cells]) => [name, permissions.filter((_, i) => cells[i] === '✓')]));
    for (const [name, cells] of rows.map(([n, ...c]) => [n, c] as const)) {
      assert.ok(cells.every((c) => c === '✓' || c === ''), `${name}: cells are ✓ or empty`);
    }
    const selfPermissions = permissions.filter((p) => hasAccess(citizen, p));
    assert.deepEqual(fromDoc, { ...Object.fromEntries(roles.map((r) => [r, [...rolePermissions[r]].sort((a, b) => permissions.indexOf(a) - permissions.indexOf(b))])), 'citizen, business': selfPermissions });
    assert.deepEqual(permissions.filter((p) => hasAccess(business, p)), selfPermissions);
  });

  test('the role names match the page labels', () => {
    const [, ...rows] = table('role', 'Vietnamese');
    assert.deepEqual(
      rows,
      roles.map((r) => [r, translate('vi', `role.${r}` as MessageKey), translate('en', `role.${r}` as MessageKey)]),
    );
  });

  test('every permission is explained', () => {
    const [, ...rows] = table('permission', 'allows');
    assert.deepEqual(rows.map((r) => r[0]), [...permissions]);
    for (const row of rows) assert.ok(row[1] && row[1].length > 5, `${row[0]} is explained`);
  });

  test('the token-scope table is the code’s', () => {
    const [, ...rows] = table('scope', 'permissions');
    const fromDoc = Object.fromEntries(rows.map(([scope, perms]) => [scope, perms === '—' ? [] : perms!.split(',').map((p) => p.trim())]));
    assert.deepEqual(fromDoc, Object.fromEntries(Object.entries(tokenScopes).map(([s, p]) => [s, [...p]])));
  });
});

describe('hasAccess and requireAccess', () => {
  test('a grant covers its agency and the agencies below it, by path, not by string prefix', () => {
    const admin = officer([['agency_admin', '1.20']]);
    for (const path of ['1.20', '1.20.32', '1.20.32.4']) assert.equal(hasAccess(admin, 'officer.manage', { agencyPath: path }), true, path);
    for (const path of ['1', '1.2', '1.21', '1.200', '1.201.5', '2.20']) assert.equal(hasAccess(admin, 'officer.manage', { agencyPath: path }), false, path);
    const office = officer([['agency_admin', '1.2']]);
    assert.equal(hasAccess(office, 'officer.manage', { agencyPath: '1.20' }), false, '1.2 is not an ancestor of 1.20');
    assert.equal(hasAccess(office, 'officer.manage', { agencyPath: '1.2.9' }), true);
    const province = officer([['province_admin', '1']]);
    assert.equal(hasAccess(province, 'officer.manage', { agencyPath: '1.20.32' }), true);
    assert.equal(hasAccess(province, 'officer.manage', { agencyPath: '10.1' }), false, 'another root');
  });

  test('without an agency, any grant carrying the permission will do', () => {
    const reception = officer([['reception', '1.38']]);
    assert.equal(hasAccess(reception, 'dossier.receive'), true);
    assert.equal(hasAccess(reception, 'backoffice.access'), true);
    assert.equal(hasAccess(reception, 'officer.manage'), false);
    assert.equal(hasAccess(reception, 'dossier.approve'), false);
  });

  test('each grant gives its own role’s permissions only where it applies', () => {
    const mixed = officer([['reception', '1.38'], ['agency_admin', '1.39']]);
    assert.equal(hasAccess(mixed, 'officer.manage', { agencyPath: '1.39' }), true);
    assert.equal(hasAccess(mixed, 'officer.manage', { agencyPath: '1.38' }), false, 'reception at 1.38 does not manage officers there');
    assert.equal(hasAccess(mixed, 'dossier.receive', { agencyPath: '1.39' }), false);
    assert.deepEqual(grantsFor(mixed, 'backoffice.access').map((g) => g.agencyPath), ['1.38', '1.39']);
    assert.deepEqual(grantsFor(mixed, 'officer.manage', { agencyPath: '1.39.2' }).map((g) => g.role), ['agency_admin']);
  });

  test('before the second factor an officer has no permission at all', () => {
    const halfway = officer([['province_admin', '1'], ['auditor', '1']], false);
    for (const p of permissions) assert.equal(hasAccess(halfway, p), false, p);
    assert.deepEqual(grantsFor(halfway, 'backoffice.access'), []);
    assert.equal(codeOf(() => requireAccess(halfway, 'backoffice.access')), 'not_found 404');
  });

  test('citizens and businesses act on what they own, and have no officer permission', () => {
    assert.equal(hasAccess(citizen, 'profile.self'), true);
    assert.equal(hasAccess(citizen, 'profile.self', { ownerAccountId: 42 }), true);
    assert.equal(hasAccess(citizen, 'profile.self', { ownerAccountId: 43 }), false);
    assert.equal(hasAccess(business, 'business.link', { ownerAccountId: 43 }), true);
    assert.equal(hasAccess(business, 'business.link', { ownerAccountId: 42 }), false);
    assert.equal(hasAccess(citizen, 'dossier.submit', { ownerAccountId: 42 }), true);
    assert.equal(hasAccess(citizen, 'dossier.submit', { ownerAccountId: 43 }), false, 'another person’s dossier');
    for (const p of permissions.filter((x) => x !== 'profile.self' && x !== 'business.link' && x !== 'dossier.submit')) {
      assert.equal(hasAccess(citizen, p), false, p);
      assert.equal(hasAccess(business, p, { agencyPath: '1' }), false, p);
    }
    assert.equal(codeOf(() => requireAccess(citizen, 'profile.self', { ownerAccountId: 43 })), 'not_found 404', 'another person’s record looks missing');
    assert.equal(codeOf(() => requireAccess(citizen, 'backoffice.access')), 'not_found 404');
    assert.equal(codeOf(() => requireAccess(citizen, 'profile.self', { ownerAccountId: 42 })), undefined);
  });

  test('a personal token acts for its own account only', () => {
    const personal: Actor = { ...token(['dossier:write']), accountId: 42 } as Actor;
    assert.equal(hasAccess(personal, 'dossier.submit', { ownerAccountId: 42 }), true);
    assert.equal(hasAccess(personal, 'dossier.submit', { ownerAccountId: 43 }), false);
    assert.equal(hasAccess(personal, 'dossier.read', { ownerAccountId: 42 }), false, 'write scope gives no officer reading');
    assert.equal(ownerAccountIdOf(personal), 42);
    assert.equal(ownerAccountIdOf(token(['dossier:read'])), undefined, 'a machine token owns nothing');
    assert.equal(ownerAccountIdOf(citizen), 42);
  });

  test('API tokens hold what their scopes give, inside their agency when bound to one', () => {
    const reader = token(['dossier:read']);
    assert.equal(hasAccess(reader, 'dossier.read'), true);
    assert.equal(hasAccess(reader, 'dossier.read', { agencyPath: '1.38.1' }), true, 'unbound: everywhere');
    for (const p of permissions.filter((x) => x !== 'dossier.read')) assert.equal(hasAccess(reader, p), false, p);
    const catalog = token(['catalog:read']);
    for (const p of permissions) assert.equal(hasAccess(catalog, p), false, `catalog:read gives no ${p}`);
    const bound = token(['dossier:read'], '1.38');
    assert.equal(hasAccess(bound, 'dossier.read', { agencyPath: '1.38' }), true);
    assert.equal(hasAccess(bound, 'dossier.read', { agencyPath: '1.38.2' }), true);
    assert.equal(hasAccess(bound, 'dossier.read', { agencyPath: '1.39' }), false);
    assert.equal(hasAccess(bound, 'dossier.read', { agencyPath: '1.380' }), false);
    assert.equal(hasAccess(token([]), 'dossier.read'), false);
    assert.equal(codeOf(() => requireAccess(catalog, 'token.manage')), 'not_found 404');
  });

  test('nobody signed in: 401 for everything; signed in without the permission: 404, never 403', () => {
    const anonymous: Actor = { kind: 'anonymous' };
    for (const p of permissions) {
      assert.equal(hasAccess(anonymous, p), false);
      assert.equal(codeOf(() => requireAccess(anonymous, p)), 'unauthenticated 401');
    }
    const reception = officer([['reception', '1.38']]);
    assert.equal(codeOf(() => requireAccess(reception, 'officer.manage')), 'not_found 404');
    assert.equal(codeOf(() => requireAccess(reception, 'dossier.receive', { agencyPath: '1.39' })), 'not_found 404');
    assert.equal(codeOf(() => requireAccess(reception, 'dossier.receive', { agencyPath: '1.38' })), undefined);
  });

  test('every role can reach the back office and only the province admin manages tokens', () => {
    for (const role of roles) assert.ok(rolePermissions[role].includes('backoffice.access'), role);
    const managers = roles.filter((r) => (rolePermissions[r] as readonly Permission[]).includes('token.manage'));
    assert.deepEqual(managers, ['province_admin']);
  });
});
