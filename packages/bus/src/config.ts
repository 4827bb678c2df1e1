import { z } from 'zod';
import { DEFAULT_SUBJECT_PREFIX, RdsCsiError, parseOrThrow } from '@rds-csi/contracts';

/** How a service reaches NATS. Secrets are referenced by file where possible so they never sit in env dumps. */
export const BusConfig = z.object({
  servers: z.array(z.string().min(1)).min(1),
  name: z.string().min(1),
  prefix: z.string().default(DEFAULT_SUBJECT_PREFIX),
  token: z.string().optional(),
  user: z.string().optional(),
  password: z.string().optional(),
  credsFile: z.string().optional(),
  nkeySeedFile: z.string().optional(),
  tls: z
    .object({
      caFile: z.string().optional(),
      certFile: z.string().optional(),
      keyFile: z.string().optional(),
    })
    .optional(),
  /** Replicas for KV buckets and streams this service provisions (3 in production clusters). */
  replicas: z.number().int().min(1).max(5).default(1),
  /** Subject prefix of this client's reply inboxes; default `_INBOX_<name>` (see inboxPrefixFor). */
  inboxPrefix: z
    .string()
    .regex(/^_INBOX[A-Za-z0-9_-]*$/)
    .optional(),
  /** Default request timeout when the caller has no deadline of its own. */
  requestTimeoutMs: z.number().int().positive().default(30_000),
});
export type BusConfig = z.output<typeof BusConfig>;
export type BusConfigInput = z.input<typeof BusConfig>;

export function parseBusConfig(input: BusConfigInput): BusConfig {
  return parseOrThrow(BusConfig, input, 'NATS configuration');
}

function optionalInt(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new RdsCsiError('INVALID_ARGUMENT', `${what} must be an integer, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * Reads NATS_URL (comma-separated), NATS_TOKEN, NATS_USER, NATS_PASSWORD, NATS_CREDS_FILE, NATS_NKEY_SEED_FILE,
 * NATS_TLS_CA_FILE, NATS_TLS_CERT_FILE, NATS_TLS_KEY_FILE, NATS_REPLICAS, RDSCSI_SUBJECT_PREFIX.
 */
export function busConfigFromEnv(env: NodeJS.ProcessEnv, clientName: string): BusConfig {
  const tls =
    env.NATS_TLS_CA_FILE || env.NATS_TLS_CERT_FILE || env.NATS_TLS_KEY_FILE
      ? { caFile: env.NATS_TLS_CA_FILE, certFile: env.NATS_TLS_CERT_FILE, keyFile: env.NATS_TLS_KEY_FILE }
      : undefined;
  return parseBusConfig({
    servers: (env.NATS_URL ?? 'nats://127.0.0.1:4222')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    name: clientName,
    prefix: env.RDSCSI_SUBJECT_PREFIX || undefined,
    token: env.NATS_TOKEN || undefined,
    user: env.NATS_USER || undefined,
    password: env.NATS_PASSWORD || undefined,
    credsFile: env.NATS_CREDS_FILE || undefined,
    nkeySeedFile: env.NATS_NKEY_SEED_FILE || undefined,
    tls,
    replicas: optionalInt(env.NATS_REPLICAS, 'NATS_REPLICAS'),
  });
}
