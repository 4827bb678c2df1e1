import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may hold secrets anywhere in a log record: SSH keys, NATS credentials, CSI secrets maps.
 * pino replaces them before serialisation, so a careless `log.info({ config })` cannot leak them.
 */
export const REDACTED_PATHS = [
  '*.password',
  '*.token',
  '*.privateKey',
  '*.passphrase',
  '*.seed',
  '*.nkeySeed',
  '*.creds',
  '*.secrets',
  '*.*.password',
  '*.*.token',
  '*.*.privateKey',
  '*.*.passphrase',
  '*.*.secrets',
  'password',
  'token',
  'privateKey',
  'secrets',
];

export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  return pino({
    name: service,
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...options,
  });
}

/** A logger that drops everything; for tests that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
