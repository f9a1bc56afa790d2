/**
 * Which domains "repair every stale domain" selects on the controller: the shared stale selection
 * (src/checks/findings.ts `staleSelection`), block-all records left out — a customer's choice is never
 * undone from afar. The server decides again on its own fresh diagnosis (usecases/fleet/policy.ts).
 */
import { staleSelection } from '../../checks/findings';
import type { DomainFilter } from '../store';

export function staleFilter(): Pick<DomainFilter, 'anyCode' | 'noCode'> {
  const { codes, excludeCodes } = staleSelection();
  return { anyCode: codes, noCode: excludeCodes };
}
