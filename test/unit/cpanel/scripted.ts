/**
 * Recording transports that answer from a script: per call name, a queue of bodies (or errors to
 * throw). Lets the unit tests drive the domain-level API with the reference's samples, no network.
 */
import type { CallOptions, Params, RawAnswer, UapiEnvelopeKind, UapiTransport, WhmTransport } from '../../../src/adapters/cpanel/types';

/** A canned answer: a value, an Error to throw, or a function that produces one. */
export type Scripted = unknown;

export interface RecordedCall {
  name: string;
  params: Params;
  options: CallOptions;
}

class Script {
  readonly calls: RecordedCall[] = [];
  constructor(private readonly answers: Record<string, Scripted[]>) {}

  async answer(name: string, params: Params, options: CallOptions): Promise<RawAnswer> {
    this.calls.push({ name, params, options });
    const queue = this.answers[name];
    if (!queue || queue.length === 0) throw new Error(`unscripted call ${name}`);
    const next = queue.length > 1 ? queue.shift() : queue[0];
    if (next instanceof Error) throw next;
    const body = typeof next === 'function' ? (next as () => unknown)() : next;
    return { httpStatus: 200, body };
  }

  namesCalled(): string[] {
    return this.calls.map((c) => c.name);
  }
}

export class ScriptedWhm extends Script implements WhmTransport {
  readonly description = 'scripted WHM';
  callWhm(fn: string, params: Params, options: CallOptions): Promise<RawAnswer> {
    return this.answer(fn, params, options);
  }
}

export class ScriptedUapi extends Script implements UapiTransport {
  readonly description = 'scripted UAPI';
  constructor(
    answers: Record<string, Scripted[]>,
    readonly user = 'alice',
    readonly envelope: UapiEnvelopeKind = 'bare',
  ) {
    super(answers);
  }
  callUapi(module: string, fn: string, params: Params, options: CallOptions): Promise<RawAnswer> {
    return this.answer(`${module}::${fn}`, params, options);
  }
}

export const noSleep = async (): Promise<void> => undefined;
