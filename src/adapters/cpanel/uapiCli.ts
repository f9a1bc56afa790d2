/**
 * UAPI through the `uapi` command as root for a user (docs/reference/cpanel-api.md §3):
 * `uapi --user=<user> <Module> <fn> k=v … --output=json`. It prints the WRAPPED envelope
 * `{apiversion, func, module, result:{…}}` (§4.2), not the bare HTTP object.
 *
 * Before running it, the account must have its cpuser file (`/var/cpanel/users/<user>`, config
 * `paths.cpanelUsers`): what `uapi --user=<unknown>` prints is not documented, and without the check a
 * missing account would look like a broken tool (TRANSPORT) instead of NOT_FOUND.
 */
import { stat } from 'fs/promises';
import { join } from 'path';
import { cliArgs } from './params';
import { runCliJson } from './execCli';
import { cpanelError } from './failures';
import { assertApiName, assertUserName } from './names';
import type { CliSettings } from './whmCli';
import type { CallOptions, Params, RawAnswer, UapiTransport } from './types';

export interface UapiCliSettings extends CliSettings {
  /** Directory of cPanel's cpuser files; when set, a user without a file there is NOT_FOUND. */
  cpanelUsersDir?: string;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export class UapiCliTransport implements UapiTransport {
  readonly description: string;
  readonly envelope = 'wrapped' as const;

  constructor(
    private readonly settings: UapiCliSettings,
    readonly user: string,
  ) {
    assertUserName(user);
    this.description = `UAPI as ${user} via ${settings.binary}`;
  }

  async callUapi(module: string, fn: string, params: Params, options: CallOptions): Promise<RawAnswer> {
    assertApiName('module', module);
    assertApiName('function', fn);
    const args = [
      `--user=${this.user}`,
      module,
      fn,
      ...cliArgs(params, { style: this.settings.listStyle, escaping: this.settings.escaping }),
      '--output=json',
    ];
    const usersDir = this.settings.cpanelUsersDir;
    if (usersDir !== undefined && !(await isFile(join(usersDir, this.user)))) {
      throw cpanelError('NOT_FOUND', `There is no cPanel account “${this.user}” on this server (no ${join(usersDir, this.user)})`, {
        step: options.step,
        retryable: false,
      });
    }
    return runCliJson({
      binary: this.settings.binary,
      args,
      timeoutMs: this.settings.timeoutMs,
      step: options.step,
      what: `uapi ${module}::${fn} as ${this.user}`,
      configKey: 'cpanel.uapi',
      env: this.settings.env,
    });
  }
}
