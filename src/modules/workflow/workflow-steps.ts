// A procedure's internal workflow, declared as data and versioned with the procedure (the
// `workflow` column): the steps, the role that acts at each, its own time budget, and the next
// step. Procedures that declare none get the default: reception, processing, approval, return.
import type { Role } from '../../platform/access/access.js';

export interface WorkflowStep {
  id: string;
  name: string;
  role: Role;
  /** The step's own budget in office time: whole working days or hours. */
  budget: { workingDays?: number; workingHours?: number };
  /** The step after this one; null at the last step. */
  next: string | null;
  /**
   * One-stop inter-agency handling (một cửa liên thông, Decree 61/2018 arts. 21–22): the identifier of
   * the agency, at any level, that does this step. The dossier goes there for the step and comes
   * back to its own agency at the next step without one. Absent: the dossier's own agency.
   */
  agency?: string;
}

export interface Workflow {
  steps: WorkflowStep[];
}

const OFFICE_DAY_HOURS = 7.5;

/**
 * The default of Decree 61/2018's one-stop path. Reception and return take half a day each; the
 * rest of the statutory time goes 75% to processing and 25% to approval.
 */
export function defaultWorkflow(processingDays: number | null): Workflow {
  const totalHours = Math.max(processingDays ?? 1, 1) * OFFICE_DAY_HOURS;
  const inner = Math.max(totalHours - OFFICE_DAY_HOURS, 2);
  return {
    steps: [
      { id: 'reception', name: 'Tiếp nhận hồ sơ', role: 'reception', budget: { workingHours: 4 }, next: 'processing' },
      { id: 'processing', name: 'Thẩm định, xử lý', role: 'specialist', budget: { workingHours: Math.round(inner * 0.75 * 2) / 2 }, next: 'approval' },
      { id: 'approval', name: 'Phê duyệt, ký', role: 'leader', budget: { workingHours: Math.round(inner * 0.25 * 2) / 2 }, next: 'return' },
      { id: 'return', name: 'Trả kết quả', role: 'reception', budget: { workingHours: 4 }, next: null },
    ],
  };
}

const ROLES: readonly Role[] = ['reception', 'specialist', 'leader'];

/** Every way a declared workflow is unusable; empty means it can be used. */
export function checkWorkflow(value: unknown): string[] {
  const problems: string[] = [];
  const steps = (value as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps) || steps.length === 0) return ['workflow.steps: at least one step'];
  const ids = new Set<string>();
  for (const [i, raw] of steps.entries()) {
    const step = raw as Partial<WorkflowStep>;
    if (typeof step.id !== 'string' || !/^[a-z][a-z0-9_-]{0,39}$/.test(step.id)) problems.push(`workflow.steps.${i}.id`);
    else if (ids.has(step.id)) problems.push(`workflow.steps.${i}.id: duplicate "${step.id}"`);
    else ids.add(step.id);
    if (typeof step.name !== 'string' || !step.name.trim()) problems.push(`workflow.steps.${i}.name`);
    if (!ROLES.includes(step.role as Role)) problems.push(`workflow.steps.${i}.role: one of ${ROLES.join(', ')}`);
    const b = step.budget ?? {};
    const days = b.workingDays;
    const hours = b.workingHours;
    const ok = (days !== undefined && Number.isInteger(days) && days > 0 && hours === undefined) || (hours !== undefined && hours > 0 && hours <= 2000 && days === undefined);
    if (!ok) problems.push(`workflow.steps.${i}.budget: workingDays (whole) or workingHours`);
    // Circular 01/2018's identifier shape, e.g. 000.00.10.H20; the import checks that it exists.
    if (step.agency !== undefined && (typeof step.agency !== 'string' || !/^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$/.test(step.agency))) {
      problems.push(`workflow.steps.${i}.agency: an agency identifier such as 000.00.10.H20`);
    }
    // The dossier is received and its result returned at the one-stop desk it was submitted to.
    if ((i === 0 || step.next === null) && step.agency !== undefined) problems.push(`workflow.steps.${i}.agency: reception and return are at the dossier's own agency`);
  }
  for (const [i, raw] of steps.entries()) {
    const next = (raw as Partial<WorkflowStep>).next;
    if (next !== null && (typeof next !== 'string' || !ids.has(next))) problems.push(`workflow.steps.${i}.next: a step id or null`);
  }
  return problems;
}

/** The procedure's workflow, or the default when it declares none (or an unusable one). */
export function workflowOf(declared: unknown, processingDays: number | null): Workflow {
  return declared && checkWorkflow(declared).length === 0 ? (declared as Workflow) : defaultWorkflow(processingDays);
}

export function stepById(workflow: Workflow, id: string | null): WorkflowStep | undefined {
  return workflow.steps.find((s) => s.id === id);
}

export function previousStep(workflow: Workflow, id: string | null): WorkflowStep | undefined {
  return workflow.steps.find((s) => s.next === id);
}

/** Office minutes of a step's budget. */
export function budgetMinutes(step: WorkflowStep): number {
  return step.budget.workingDays !== undefined ? step.budget.workingDays * OFFICE_DAY_HOURS * 60 : (step.budget.workingHours ?? 0) * 60;
}
