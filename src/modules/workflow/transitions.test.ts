import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { dossierStatuses } from '../dossier/dossier.service.js';
import { allowedActions, findTransition, transitions } from './transitions.js';
import { workflowDocument } from './workflow-doc.js';
import { checkWorkflow, defaultWorkflow } from './workflow-steps.js';

describe('the transition table', () => {
  test('docs/workflow.md is generated from it', () => {
    const doc = fs.readFileSync(new URL('../../../docs/workflow.md', import.meta.url), 'utf8');
    assert.equal(doc, workflowDocument(), 'run: npx tsx scripts/render-workflow-doc.ts');
  });

  test('every status but the ends can be left, and every row names real statuses', () => {
    for (const t of transitions) for (const s of t.from) assert.ok(dossierStatuses.includes(s), `${t.action} from ${s}`);
    for (const status of dossierStatuses.filter((s) => !['refused', 'withdrawn', 'returned'].includes(s))) {
      assert.ok(transitions.some((t) => t.from.includes(status) && t.to !== 'unchanged'), `${status} can be left`);
    }
  });

  test('who may do what: reception checks new dossiers, the leader approves, nobody returns a result twice', () => {
    assert.deepEqual(allowedActions('new', ['reception']).sort(), ['accept', 'refuse', 'request_supplement']);
    assert.deepEqual(allowedActions('new', ['specialist']), []);
    assert.ok(findTransition('approve', 'processing', ['leader']));
    assert.equal(findTransition('approve', 'processing', ['specialist']), undefined);
    assert.equal(findTransition('return_result', 'returned', ['reception']), undefined);
    assert.ok(findTransition('resubmit', 'supplementation', 'applicant'));
    assert.equal(findTransition('accept', 'new', 'applicant'), undefined);
  });

  test('the default workflow is a valid declared one; a broken declaration is named', () => {
    assert.deepEqual(checkWorkflow(defaultWorkflow(7)), []);
    assert.ok(checkWorkflow({ steps: [{ id: 'a', name: 'A', role: 'reception', budget: { workingHours: 2 }, next: 'zzz' }] }).some((p) => p.includes('next')));
    assert.ok(checkWorkflow({ steps: [] }).length > 0);
  });
});
