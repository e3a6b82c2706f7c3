// The one transition table of the dossier statuses (DOMAIN.md section 4; national status codes
// 1–10). Every action of an applicant or an officer is a row here: from which statuses, to which,
// who acts, and what it needs. docs/workflow.md renders it as a Mermaid diagram generated from
// this table (a test keeps the two equal).
import type { Role } from '../../platform/access/access.js';
import type { DossierStatus } from '../dossier/dossier.service.js';

export const dossierActions = [
  'submit',
  'withdraw',
  'accept',
  'request_supplement',
  'refuse',
  'resubmit',
  'assign',
  'process',
  'forward',
  'send_back',
  'approve',
  'request_payment',
  'confirm_payment',
  'stop',
  'resume',
  'mark_done',
  'return_result',
  'apologize',
] as const;
export type DossierAction = (typeof dossierActions)[number];

export type Requirement = 'reason' | 'items' | 'assignee' | 'newDueDate' | 'delivery' | 'fees';

export interface Transition {
  action: DossierAction;
  from: readonly DossierStatus[];
  /** The new status; 'previous' returns to the status the pause interrupted; 'unchanged' keeps it. */
  to: DossierStatus | 'previous' | 'unchanged';
  /** Who acts: the applicant, or an officer holding this role at the dossier's agency. */
  actor: 'applicant' | Role;
  requires: readonly Requirement[];
}

export const transitions: readonly Transition[] = [
  { action: 'submit', from: ['draft'], to: 'new', actor: 'applicant', requires: [] },
  { action: 'withdraw', from: ['new'], to: 'withdrawn', actor: 'applicant', requires: ['reason'] },
  // Reception's completeness check (Decree 61/2018 art. 19): accept, ask for more, or refuse.
  { action: 'accept', from: ['new'], to: 'accepted', actor: 'reception', requires: [] },
  { action: 'request_supplement', from: ['new'], to: 'supplementation', actor: 'reception', requires: ['items'] },
  { action: 'request_supplement', from: ['processing'], to: 'supplementation', actor: 'specialist', requires: ['items'] },
  { action: 'refuse', from: ['new'], to: 'refused', actor: 'reception', requires: ['reason'] },
  { action: 'resubmit', from: ['supplementation'], to: 'previous', actor: 'applicant', requires: [] },
  // Processing along the procedure's steps.
  { action: 'assign', from: ['accepted', 'processing'], to: 'processing', actor: 'leader', requires: ['assignee'] },
  { action: 'assign', from: ['accepted'], to: 'processing', actor: 'reception', requires: ['assignee'] },
  { action: 'process', from: ['processing'], to: 'unchanged', actor: 'specialist', requires: ['reason'] },
  { action: 'forward', from: ['processing'], to: 'unchanged', actor: 'specialist', requires: [] },
  { action: 'send_back', from: ['processing'], to: 'unchanged', actor: 'leader', requires: ['reason'] },
  { action: 'approve', from: ['processing'], to: 'done', actor: 'leader', requires: [] },
  // Pauses: the applicant owes a payment (6), or the dossier is stopped (8, with a notice).
  // The fee lines asked for become an obligation the applicant pays online; its IPN resumes the dossier.
  { action: 'request_payment', from: ['processing'], to: 'financial', actor: 'specialist', requires: ['reason', 'fees'] },
  { action: 'confirm_payment', from: ['financial'], to: 'previous', actor: 'specialist', requires: [] },
  { action: 'stop', from: ['processing'], to: 'stopped', actor: 'leader', requires: ['reason'] },
  { action: 'resume', from: ['stopped'], to: 'previous', actor: 'leader', requires: [] },
  { action: 'mark_done', from: ['processing'], to: 'done', actor: 'specialist', requires: [] },
  { action: 'return_result', from: ['done'], to: 'returned', actor: 'reception', requires: ['delivery'] },
  // Circular 01/2018 art. 12: a late dossier gets one apology letter with a new date.
  { action: 'apologize', from: ['accepted', 'processing', 'supplementation', 'financial', 'stopped'], to: 'unchanged', actor: 'leader', requires: ['reason', 'newDueDate'] },
];

/** The rows that let this actor take this action from this status. */
export function findTransition(action: DossierAction, from: DossierStatus, actor: 'applicant' | readonly Role[]): Transition | undefined {
  return transitions.find((t) => t.action === action && t.from.includes(from) && (actor === 'applicant' ? t.actor === 'applicant' : t.actor !== 'applicant' && actor.includes(t.actor)));
}

/** What an officer with these roles may do to a dossier in this status. */
export function allowedActions(status: DossierStatus, roles: readonly Role[]): DossierAction[] {
  return [...new Set(transitions.filter((t) => t.actor !== 'applicant' && roles.includes(t.actor) && t.from.includes(status)).map((t) => t.action))];
}

/** The table as a Mermaid state diagram (docs/workflow.md). */
export function renderTransitionDiagram(): string {
  const lines = ['stateDiagram-v2', '    [*] --> draft'];
  for (const t of transitions) {
    for (const from of t.from) {
      if (t.to === 'unchanged') lines.push(`    ${from} --> ${from}: ${t.action} (${t.actor})`);
      else if (t.to === 'previous') lines.push(`    ${from} --> resumed: ${t.action} (${t.actor})`);
      else lines.push(`    ${from} --> ${t.to}: ${t.action} (${t.actor})`);
    }
  }
  lines.push('    resumed: the status before the pause');
  for (const end of ['refused', 'withdrawn', 'returned']) lines.push(`    ${end} --> [*]`);
  return lines.join('\n');
}
