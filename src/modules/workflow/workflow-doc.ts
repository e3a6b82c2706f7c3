// docs/workflow.md, generated from the transition table so that the diagram cannot drift from
// the code (npx tsx scripts/render-workflow-doc.ts).
import { nationalStatusCode } from '../dossier/dossier.service.js';
import { renderTransitionDiagram, transitions } from './transitions.js';
import { defaultWorkflow } from './workflow-steps.js';

export function workflowDocument(): string {
  const rows = transitions.map((t) => `| ${t.action} | ${t.from.join(', ')} | ${t.to} | ${t.actor} | ${t.requires.join(', ') || '—'} |`);
  const statuses = Object.entries(nationalStatusCode).map(([s, c]) => `| ${s} | ${c ?? '—'} |`);
  const steps = defaultWorkflow(10).steps.map((s) => `| ${s.id} | ${s.name} | ${s.role} | ${s.budget.workingHours ?? 0} h | ${s.next ?? '—'} |`);
  return [
    '# Dossier statuses and the workflow',
    '',
    'Generated from `src/modules/workflow/transitions.ts` by `npx tsx scripts/render-workflow-doc.ts`; a test',
    'fails when this file and the table differ. Statuses 5, 6 and 8 pause the clock; leaving them moves',
    'the appointment by the office time the pause lasted (DOMAIN.md §5).',
    '',
    '```mermaid',
    renderTransitionDiagram(),
    '```',
    '',
    '## Statuses and their national codes',
    '',
    '| status | code |',
    '|---|---|',
    ...statuses,
    '',
    '## The transition table',
    '',
    '| action | from | to | who | requires |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    '## The default workflow (a procedure of 10 working days)',
    '',
    'A procedure may declare its own steps (`procedure.workflow`, the `workflow` field of a catalogue',
    'record, versioned with the procedure); each step has the role that acts, its own budget in working',
    'days or hours, and the next step.',
    '',
    '**Inter-agency steps (một cửa liên thông, Decree 61/2018 arts. 21–22).** A step may name an `agency`',
    '(its identifier, at any level). Entering that step sends the dossier there (`dossier.handling_agency_id`):',
    'that agency\'s officers see it in their inbox and act on it with their roles there, while the dossier\'s',
    'own agency can read it but not act. The next step without an agency brings it back. Both hand-overs are',
    'events carrying `details.transfer` (from, to) and the agency that holds the dossier; the control slip',
    '(form 05) then names each giver\'s and receiver\'s agency. Reception and return stay at the dossier\'s',
    'own agency (the import refuses an agency on the first or last step, or an unknown one).',
    '',
    '| step | name | role | budget | next |',
    '|---|---|---|---|---|',
    ...steps,
    '',
  ].join('\n');
}
