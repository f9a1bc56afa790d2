/**
 * Changes the planner proposes but that only a person may approve. Today one: a record that blocks
 * all mail (a bare `v=mc1`, LOCKDOWN_BLOCK_ALL) is often a deliberate choice for a domain that never
 * sends mail, so replacing it by a record that lets the provider's mail through needs an explicit
 * yes — a prompt or `--allow-block-all` on the CLI, a ticked box on the page, WHM's "include
 * block-all" in bulk. The plan is still computed, so the person sees exactly what would change.
 */
import { blocksAllMail, type Finding } from '../../checks/findings';

export interface ConfirmationNeeded {
  /** The finding that asks for consent. */
  code: 'LOCKDOWN_BLOCK_ALL';
  /** The question, as the CLI prompt and the page's checkbox say it. */
  question: string;
}

export function blockAllQuestion(provider: string): string {
  return `This domain is set to block all mail; allow sending through ${provider}?`;
}

/** What the person must confirm before this domain's plan is applied; null when nothing. */
export function confirmationNeeded(findings: readonly Pick<Finding, 'code'>[], provider: string): ConfirmationNeeded | null {
  return blocksAllMail(findings) ? { code: 'LOCKDOWN_BLOCK_ALL', question: blockAllQuestion(provider) } : null;
}
