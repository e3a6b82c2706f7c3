// Writes docs/workflow.md from the transition table (src/modules/workflow/transitions.ts);
// src/modules/workflow/transitions.test.ts fails when the file and the table differ.
import fs from 'node:fs';
import { workflowDocument } from '../src/modules/workflow/workflow-doc.js';

fs.writeFileSync(new URL('../docs/workflow.md', import.meta.url), workflowDocument());
console.log('docs/workflow.md written');
