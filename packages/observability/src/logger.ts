import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Keys that may hold secrets in a log record: SSH keys, NATS credentials, CSI secrets maps. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'token',
  'privateKey',
  'passphrase',
  'seed',
  'nkeySeed',
  'creds',
  'secrets',
]);

export const REDACTED = '[redacted]';

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A copy of `value` in which every SECRET_KEYS entry, at any depth of plain objects and arrays, is REDACTED.
 * pino's own `redact` takes fixed paths, so nesting one level deeper than its wildcards would leak; this walks
 * instead. Class instances (errors, buffers, dates) are left to their serialisers; a cycle is cut, not followed.
 */
export function redactSecrets(value: unknown, ancestors: readonly object[] = []): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.includes(value)) return '[Circular]';
  const path = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, path));
  return isPlainObject(value) ? redactEntries(value, path) : value;
}

function redactEntries(record: Record<string, unknown>, path: readonly object[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([key, inner]) => [
      key,
      SECRET_KEYS.has(key) ? REDACTED : redactSecrets(inner, path),
    ]),
  );
}

const redactRecord = (record: Record<string, unknown>) => redactEntries(record, [record]);

/**
 * A service logger (to stdout unless `destination` is given); secrets are redacted from every record before
 * serialisation. Child-logger bindings do not pass pino's formatters: bind identifiers there, never configuration.
 */
export function createLogger(
  service: string,
  options: LoggerOptions = {},
  destination?: DestinationStream,
): Logger {
  const loggerOptions: LoggerOptions = {
    name: service,
    level: process.env.LOG_LEVEL ?? 'info',
    formatters: { log: redactRecord },
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...options,
  };
  return destination ? pino(loggerOptions, destination) : pino(loggerOptions);
}

/** A logger that drops everything; for tests that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
