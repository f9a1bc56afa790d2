/**
 * cPanel/WHM behind the `Panel` port (src/ports/panel.ts): the client's root view as it is — WHM
 * accounts, zones through parse_dns_zone / mass_edit_zone with the SOA serial as the version — and
 * JetBackup (account = cPanel user) as the backup.
 */
import type { Backup, Panel } from '../../ports';
import type { CpanelClient } from './client';

export function cpanelPanel(client: CpanelClient, backup: Backup | null): Panel {
  return {
    kind: 'cpanel',
    accounts: client.accounts,
    zones: client.zones,
    backup,
    mailboxesOf: (user) => client.mailboxesOf(user),
  };
}
