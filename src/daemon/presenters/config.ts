/**
 * The configuration as the admin may read it. Only what helps ("which provider ID do we write?",
 * "is a backup taken first?"); the WHM token itself lives in its own file and is never loaded here.
 */
import type { Config } from '../../config';

export interface ConfigSection {
  title: string;
  rows: Array<{ name: string; value: string; note?: string }>;
}

export function configView(config: Config): ConfigSection[] {
  const template = config.provider.senderIdTemplate;
  return [
    {
      title: 'MailChannels',
      rows: [
        { name: 'Provider ID (auth=)', value: config.provider.authId, note: 'Written into every repaired _mailchannels record.' },
        {
          name: 'Sender-ID template',
          value: template ?? '(none)',
          ...(template ? { note: `For cPanel user “alice”: ${template.split('{user}').join('alice')}` } : {}),
        },
        { name: 'Relay host in the mail log', value: config.provider.relayHost },
      ],
    },
    {
      title: 'Changes',
      rows: [
        {
          name: 'Backup before a change',
          value: config.backup.policy,
          note: {
            required: 'No JetBackup snapshot, no change.',
            'best-effort': 'A failed snapshot is a warning; the journal still keeps the removed records.',
            off: 'No snapshot; the journal keeps the removed records.',
          }[config.backup.policy],
        },
        { name: 'TTL of written records', value: `${config.dns.ttl} s` },
        { name: 'Keep other providers’ auth= values', value: config.policy.keepForeign ? 'yes' : 'no' },
        {
          name: 'Automatic repairs',
          value: config.policy.autofix,
          note: {
            off: 'Stale records are reported to the owner and the admin, never changed automatically.',
            'stale-after-migration': `A stale record of an account restored or transferred in the last ${config.policy.migrationWindowHours} hours is repaired.`,
            'all-stale': 'Any plainly stale record is repaired (never block-all or anything unclear).',
          }[config.policy.autofix],
        },
        {
          name: 'Notice mails',
          value: `owners ${config.notify.owners ? 'on' : 'off'}, admin digest ${config.notify.admin ? `to ${config.notify.adminTo}` : 'off'}`,
        },
      ],
    },
    {
      title: 'Connections',
      rows: [
        { name: 'cPanel transport', value: config.cpanel.transport },
        ...(config.cpanel.transport === 'https'
          ? [
              { name: 'WHM URL', value: config.cpanel.whmUrl },
              { name: 'Token file', value: config.cpanel.tokenFile, note: 'The token itself is never shown.' },
              {
                name: 'Certificate check',
                value: config.cpanel.insecure
                  ? 'OFF (insecure)'
                  : config.cpanel.fingerprint
                    ? 'pinned fingerprint'
                    : config.cpanel.caFile
                      ? 'CA file'
                      : 'system CAs',
              },
            ]
          : []),
        { name: 'Resolvers', value: config.dns.resolvers.length ? config.dns.resolvers.join(', ') : 'the system’s' },
        { name: 'Nameserver port', value: String(config.dns.port) },
      ],
    },
    {
      title: 'Files',
      rows: [
        { name: 'Journal', value: config.paths.journal },
        { name: 'Socket', value: config.paths.socket },
        { name: 'Exim main log', value: config.paths.eximMainlog },
        { name: 'Zone files', value: config.paths.namedDir },
      ],
    },
  ];
}
