/** Words and badges of the fleet pages (a status always says itself in words, never colour alone, WCAG 1.4.1). */
import { fmtTime, plural, withQuery } from '../../daemon/viewHelpers';

const BADGE_TEXT: Record<string, string> = { ok: 'OK', info: 'Note', warning: 'Warning', error: 'Problem', unknown: 'Not checked' };

export function badge(status: string): { status: string; text: string } {
  return { status: status in BADGE_TEXT ? status : 'unknown', text: BADGE_TEXT[status] ?? status };
}

/** ok|info → ok, warning|unknown → warning, error → error: the three values the rows carry as data-status. */
export function pageStatus(status: string): 'ok' | 'warning' | 'error' {
  if (status === 'error') return 'error';
  if (status === 'warning' || status === 'unknown') return 'warning';
  return 'ok';
}

/** "4 min ago", "3 h ago", "never". */
export function ago(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

const ITEM_TEXT: Record<string, string> = {
  pending: 'Waiting for the server',
  delivered: 'Sent to the server',
  accepted: 'Repairing on the server',
  refused: 'Refused by the server',
  unchanged: 'Nothing to change',
  done: 'Repaired',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function itemText(state: string): string {
  return ITEM_TEXT[state] ?? state;
}

const REASON_TEXT: Record<string, string> = {
  NOT_STALE: 'the record is not stale on the server now',
  BLOCK_ALL: 'the record blocks all mail on purpose (a choice, never changed from afar)',
  FOREIGN_DNS: 'the domain’s DNS is hosted elsewhere',
  UNKNOWN_DOMAIN: 'the server has no such domain',
  NEEDS_A_PERSON: 'the record needs a person to look at it',
  NOT_READABLE: 'the server could not read the zone',
};

export function reasonText(reason: string | null): string {
  return reason ? (REASON_TEXT[reason] ?? reason) : '';
}

export const viewHelpers = { fmtTime, plural, withQuery, ago, badge, pageStatus, itemText, reasonText };
