import type { z } from 'zod';
import { RdsCsiError, isErrorCode, type ErrorCode, errorMessage, isRecord } from './errors.js';

/**
 * Wire format of every request and reply. Requests are the payload object itself with an optional `v`, so an
 * operator can type `nats req rdscsi.reconcile.trigger '{}'`; replies are `{v, result}` or `{v, error}`.
 * The caller's deadline travels as its remaining budget in the TIMEOUT_HEADER (see deadlineHeaders).
 */
export const SCHEMA_VERSION = 1;

/** The caller's remaining budget in milliseconds: relative, so clock skew between hosts cannot bend it. */
export const TIMEOUT_HEADER = 'Rdscsi-Timeout-Ms';
/**
 * The absolute deadline (epoch ms) that earlier releases sent and read. Still sent and accepted so a rolling
 * upgrade keeps deadlines; drop it once no older service remains.
 */
export const DEADLINE_HEADER = 'Rdscsi-Deadline';

/** The headers that carry `deadline` (epoch ms on the sender's clock, read at `now`) to another process. */
export function deadlineHeaders(deadline: number, now: number): Record<string, string> {
  return {
    [TIMEOUT_HEADER]: String(Math.max(0, Math.ceil(deadline - now))),
    [DEADLINE_HEADER]: String(deadline),
  };
}

function positiveNumber(raw: string | undefined): number | undefined {
  const value = raw ? Number(raw) : NaN;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The receiver's deadline (epoch ms on its own clock, read at `now`): the relative budget when sent, else an older
 * sender's absolute deadline, else `fallbackMs` from now.
 */
export function deadlineFromHeaders(
  header: (name: string) => string | undefined,
  now: number,
  fallbackMs: number,
): number {
  const budget = positiveNumber(header(TIMEOUT_HEADER));
  if (budget !== undefined) return now + budget;
  return positiveNumber(header(DEADLINE_HEADER)) ?? now + fallbackMs;
}

export type Reply<T> = { v: number; result: T } | { v: number; error: { code: ErrorCode; message: string } };

const MAX_MESSAGE_BYTES = 1024 * 1024;

function parseJsonObject(data: Uint8Array, what: string): Record<string, unknown> {
  if (data.byteLength > MAX_MESSAGE_BYTES) throw new RdsCsiError('INVALID_ARGUMENT', `${what} is too large`);
  let value: unknown;
  try {
    value = JSON.parse(
      new TextDecoder().decode(data.byteLength === 0 ? new TextEncoder().encode('{}') : data),
    );
  } catch {
    throw new RdsCsiError('INVALID_ARGUMENT', `${what} is not valid JSON`);
  }
  if (!isRecord(value)) throw new RdsCsiError('INVALID_ARGUMENT', `${what} must be a JSON object`);
  return value;
}

function checkVersion(v: unknown, what: string): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > SCHEMA_VERSION) {
    throw new RdsCsiError('INVALID_ARGUMENT', `${what} has unsupported schema version ${JSON.stringify(v)}`);
  }
}

/** Human-readable summary of a schema failure: path and message of each issue. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Decodes and validates a request body; anything malformed is INVALID_ARGUMENT. */
export function decodeRequest<S extends z.ZodType>(schema: S, data: Uint8Array): z.output<S> {
  const { v, ...body } = parseJsonObject(data, 'request');
  checkVersion(v, 'request');
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new RdsCsiError('INVALID_ARGUMENT', `invalid request: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function encodeRequest(body: object): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ v: SCHEMA_VERSION, ...body }));
}

export function encodeResult(result: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ v: SCHEMA_VERSION, result }));
}

export function encodeError(err: RdsCsiError): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ v: SCHEMA_VERSION, error: err.toJSON() }));
}

/** Decodes a reply: returns the validated result or throws the remote RdsCsiError. A malformed reply is INTERNAL. */
export function decodeReply<S extends z.ZodType>(schema: S, data: Uint8Array): z.output<S> {
  let obj: Record<string, unknown>;
  try {
    obj = parseJsonObject(data, 'reply');
    checkVersion(obj.v, 'reply');
  } catch (err) {
    throw new RdsCsiError('INTERNAL', `malformed reply: ${errorMessage(err)}`);
  }
  if (obj.error !== undefined) {
    const e = isRecord(obj.error) ? obj.error : {};
    const code = isErrorCode(e.code) ? e.code : 'UNKNOWN';
    throw new RdsCsiError(code, typeof e.message === 'string' ? e.message : 'remote error');
  }
  const parsed = schema.safeParse(obj.result);
  if (!parsed.success) throw new RdsCsiError('INTERNAL', `malformed reply: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Validates a published (non request-reply) message, e.g. a node event; returns undefined when malformed. */
export function decodeMessage<S extends z.ZodType>(
  schema: S,
  data: Uint8Array,
): { ok: true; value: z.output<S> } | { ok: false; reason: string } {
  try {
    const obj = parseJsonObject(data, 'message');
    const parsed = schema.safeParse(obj);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, reason: describeIssues(parsed.error) };
  } catch (err) {
    return { ok: false, reason: errorMessage(err) };
  }
}

export function encodeMessage(body: object): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(body));
}

/** Parses configuration or any other input with a schema; anything wrong is INVALID_ARGUMENT naming each issue. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new RdsCsiError('INVALID_ARGUMENT', `bad ${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
