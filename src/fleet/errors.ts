/**
 * Errors of the fleet controller that end a request: a stable code for the servers' client and the
 * pages, and the HTTP status it is answered with. Verdicts (a server's refusal of a repair) are data.
 */
export type FleetErrorCode =
  | 'BAD_INPUT'
  | 'PROTOCOL'
  | 'UNAUTHENTICATED'
  | 'BAD_SIGNATURE'
  | 'REPLAYED'
  | 'CLOCK_SKEW'
  | 'REVOKED'
  | 'TOKEN_INVALID'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT';

const STATUS: Record<FleetErrorCode, number> = {
  BAD_INPUT: 400,
  PROTOCOL: 400,
  UNAUTHENTICATED: 401,
  BAD_SIGNATURE: 401,
  REPLAYED: 401,
  CLOCK_SKEW: 401,
  REVOKED: 403,
  TOKEN_INVALID: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

export class FleetError extends Error {
  readonly code: FleetErrorCode;
  readonly status: number;

  constructor(code: FleetErrorCode, message: string) {
    super(message);
    this.name = 'FleetError';
    this.code = code;
    this.status = STATUS[code];
  }
}

export function isFleetError(err: unknown, code?: FleetErrorCode): err is FleetError {
  return err instanceof FleetError && (code === undefined || err.code === code);
}
