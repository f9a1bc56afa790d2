/**
 * Step 7 of `mass_edit_zone` / `mass_edit_dns_zone` (cpanel-api.md §6.3, §9.5): the serial the client
 * read must still be the zone's SOA serial, compared as strings (`"2024030101"` is not `"2024030101 "`
 * nor the number); otherwise the edit is refused as `Stale` with both serials and a typed payload.
 * This is what keeps a client from writing over an edit it has not seen.
 */
import { SimApiError } from './envelopes';
import { messages } from './messages';

export function assertSerialCurrent(sent: string, current: string): void {
  if (sent !== current) throw new SimApiError(messages.stale(sent, current), { type: 'Stale', detail: null });
}
