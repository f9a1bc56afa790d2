/**
 * Sends an XML API packet: `POST https://<host>:8443/enterprise/control/agent.php`,
 * `Content-Type: text/xml`, authenticated with the secret API key in the `KEY` header
 * (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-secret-keys.37121;
 * plesk/api-php-lib `src/Api/Client.php`). The key is made on the server with
 * `plesk bin secret_key -c -ip-address 127.0.0.1` and works from that address only. Every packet
 * passes `assertNoBroadDelete` here, whoever built it.
 */
import { FixEmailAuthError, type Step } from '../../errors';
import { pleskHttps, type PleskTls } from './https';
import { assertNoBroadDelete } from './xml/packets';

export interface PleskXmlTransport {
  readonly description: string;
  post(packet: string, what: string, step: Step): Promise<string>;
}

export interface HttpsXmlOptions {
  /** `https://127.0.0.1:8443` */
  baseUrl: string;
  apiKey: string;
  tls: PleskTls;
  timeoutMs: number;
}

export class HttpsXmlTransport implements PleskXmlTransport {
  readonly description: string;

  constructor(private readonly options: HttpsXmlOptions) {
    this.description = `Plesk XML API at ${options.baseUrl}`;
  }

  async post(packet: string, what: string, step: Step): Promise<string> {
    assertNoBroadDelete(packet);
    const answer = await pleskHttps({
      url: new URL('/enterprise/control/agent.php', this.options.baseUrl),
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', KEY: this.options.apiKey },
      body: packet,
      timeoutMs: this.options.timeoutMs,
      tls: this.options.tls,
      step,
      what,
    });
    if (answer.status === 401 || answer.status === 403) {
      throw new FixEmailAuthError('AUTHENTICATION', `${what}: Plesk refused the API key (HTTP ${answer.status})`, {
        step,
        upstream: answer.text.slice(0, 2000),
      });
    }
    if (answer.status !== 200) {
      throw new FixEmailAuthError('TRANSPORT', `${what}: HTTP ${answer.status} from ${this.description}`, {
        step,
        upstream: answer.text.slice(0, 2000),
      });
    }
    return answer.text;
  }
}
