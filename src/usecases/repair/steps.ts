/** Reporting the steps of a repair as they happen (job pages poll them; the CLI prints them). */
import type { Clock } from '../../ports';
import type { RepairStep, StepEvent, StepState } from './context';

export type Emit = (step: RepairStep, state: StepState, message: string, detail?: Record<string, unknown>) => void;

export function stepEmitter(
  clock: Clock,
  sink?: (event: StepEvent) => void,
  collected: StepEvent[] = [],
): { emit: Emit; events: StepEvent[] } {
  const emit: Emit = (step, state, message, detail) => {
    const event: StepEvent = { step, state, message, at: clock.now().toISOString() };
    if (detail) event.detail = detail;
    collected.push(event);
    try {
      sink?.(event);
    } catch {
      // A broken progress listener must never break a DNS change half-way.
    }
  };
  return { emit, events: collected };
}
