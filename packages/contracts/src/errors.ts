/**
 * The error model shared by every service: each failure carries a gRPC status code name, so the gateway maps
 * bus errors to CSI status codes without guessing from message text.
 */
export const ERROR_CODES = [
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Numeric gRPC status for each code name (the values of grpc.status). */
export const GRPC_STATUS: Readonly<Record<ErrorCode, number>> = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** A failure with a gRPC status code name; the only error type that crosses service boundaries. */
export class RdsCsiError extends Error {
  override readonly name: string = 'RdsCsiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get grpcStatus(): number {
    return GRPC_STATUS[this.code];
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export const invalidArgument = (message: string): RdsCsiError => new RdsCsiError('INVALID_ARGUMENT', message);
export const notFound = (message: string): RdsCsiError => new RdsCsiError('NOT_FOUND', message);
export const resourceExhausted = (message: string): RdsCsiError =>
  new RdsCsiError('RESOURCE_EXHAUSTED', message);
export const alreadyExists = (message: string): RdsCsiError => new RdsCsiError('ALREADY_EXISTS', message);
export const failedPrecondition = (message: string): RdsCsiError =>
  new RdsCsiError('FAILED_PRECONDITION', message);
export const unavailable = (message: string, cause?: unknown): RdsCsiError =>
  new RdsCsiError('UNAVAILABLE', message, { cause });
export const internalError = (message: string, cause?: unknown): RdsCsiError =>
  new RdsCsiError('INTERNAL', message, { cause });

/** Converts anything thrown into an RdsCsiError; unknown errors become INTERNAL. */
export function toRdsCsiError(err: unknown): RdsCsiError {
  if (err instanceof RdsCsiError) return err;
  return internalError(errorMessage(err), err);
}

/** Narrows a parsed JSON value (or anything else) to a plain object whose fields are still unchecked. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message of anything thrown: an Error's message, otherwise its string form. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The `code` of anything thrown (a Node.js system error's `ENOENT`, an HTTP client's status), if it has one. */
export function thrownCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}
