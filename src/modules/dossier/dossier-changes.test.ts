import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayLackChange, noteDossierChange, settleMs } from './dossier-changes.js';

test('a read may lack a change made before it until the change has had time to commit, and any made after it', () => {
  // Agency ids far from any test database's, since the record is process-wide.
  noteDossierChange([900_001, null, undefined], 1_000_000);
  assert.equal(mayLackChange([900_001], 1_000_000 - 1), true, 'a read before the change');
  assert.equal(mayLackChange([900_001], 1_000_000 + settleMs), true, 'the change may not have committed yet');
  assert.equal(mayLackChange([900_001], 1_000_000 + settleMs + 1), false);
  assert.equal(mayLackChange([900_002], 1_000_000), false, 'another agency');
  assert.equal(mayLackChange([900_002, 900_001], 1_000_000), true, 'one of its agencies changed');
});
