// Electronic agency identifiers, Decision 20/2020/QĐ-TTg and QCVN 102:2016 (Circular 10/2016/TT-BTTTT):
// up to 35 characters of `.0-9A-Z`; the base form is four groups V1V2V3.Z1Z2.Y1Y2.MX1X2, written
// from level 4 down to level 1. M is G for ministries and central bodies, H for provinces and
// centrally-run cities, K for other bodies; X1X2 numbers the level-1 unit. A group may be non-zero
// only when every group above it (to its right) is non-zero.
import type { MessageKey, MessageParams } from '../../platform/i18n/i18n.js';

export interface CodeProblem {
  key: MessageKey;
  params?: MessageParams;
}

const SHAPE = /^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z])(\d{2})$/;
const LEVEL1_LETTERS = new Set(['G', 'H', 'K']);

export interface AgencyCodeParts {
  level4: string;
  level3: string;
  level2: string;
  letter: string;
  level1: string;
  /** 1 for a level-1 unit (000.00.00.H20) down to 4. */
  depth: 1 | 2 | 3 | 4;
}

export function parseAgencyCode(code: string): AgencyCodeParts | undefined {
  const m = SHAPE.exec(code);
  if (!m) return undefined;
  const [, level4 = '', level3 = '', level2 = '', letter = '', level1 = ''] = m;
  const depth = level4 !== '000' ? 4 : level3 !== '00' ? 3 : level2 !== '00' ? 2 : 1;
  return { level4, level3, level2, letter, level1, depth };
}

/** Returns every reason the identifier is invalid; an empty list means it is valid. When the
 *  parent's identifier is given, the code must also sit directly below it in the hierarchy. */
export function validateAgencyCode(code: string, parentCode?: string | null): CodeProblem[] {
  if (code.trim() === '') return [{ key: 'agencyCode.empty' }];
  const problems: CodeProblem[] = [];
  if (code.length > 35) problems.push({ key: 'agencyCode.tooLong' });
  if (!/^[.0-9A-Z]+$/.test(code)) problems.push({ key: 'agencyCode.charset' });
  const parts = parseAgencyCode(code);
  if (!parts) {
    problems.push({ key: 'agencyCode.shape' });
    return problems;
  }
  if (!LEVEL1_LETTERS.has(parts.letter)) problems.push({ key: 'agencyCode.letter' });
  if (parts.level1 === '00') problems.push({ key: 'agencyCode.level1' });
  if (parts.level3 !== '00' && parts.level2 === '00') problems.push({ key: 'agencyCode.hierarchy', params: { level: 3 } });
  if (parts.level4 !== '000' && (parts.level3 === '00' || parts.level2 === '00')) {
    problems.push({ key: 'agencyCode.hierarchy', params: { level: 4 } });
  }
  if (parentCode && problems.length === 0 && !isDirectChild(parts, parseAgencyCode(parentCode))) {
    problems.push({ key: 'agencyCode.parent', params: { code, parent: parentCode } });
  }
  return problems;
}

function isDirectChild(child: AgencyCodeParts, parent: AgencyCodeParts | undefined): boolean {
  if (!parent) return false;
  if (child.letter !== parent.letter || child.level1 !== parent.level1) return false;
  if (child.depth !== parent.depth + 1) return false;
  if (parent.depth >= 2 && child.level2 !== parent.level2) return false;
  if (parent.depth >= 3 && child.level3 !== parent.level3) return false;
  return true;
}
