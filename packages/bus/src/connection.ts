import { readFileSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import {
  credsAuthenticator,
  nkeyAuthenticator,
  type Authenticator,
  type ConnectionOptions,
  type NatsConnection,
} from '@nats-io/nats-core';
import { Counter, Gauge, type Registry } from 'prom-client';
import { metricOnce } from '@rds-csi/observability';
import type { Logger } from 'pino';
import { RdsCsiError, errorMessage } from '@rds-csi/contracts';
import type { BusConfig } from './config.js';

const WAIT_LOG_INTERVAL_MS = 10_000;

export interface ConnectionMetrics {
  connected: Gauge;
  events: Counter;
}

/** The connection metrics of a registry, created on first use (a process may connect more than once). */
function connectionMetrics(registry: Registry): ConnectionMetrics {
  return {
    connected: metricOnce(
      registry,
      'rdscsi_nats_connected',
      (registers) =>
        new Gauge({ name: 'rdscsi_nats_connected', help: '1 while the NATS connection is up', registers }),
    ),
    events: metricOnce(
      registry,
      'rdscsi_nats_connection_events_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_nats_connection_events_total',
          help: 'NATS connection status events by type (disconnect, reconnect, error, ...)',
          labelNames: ['event'],
          registers,
        }),
    ),
  };
}

function authenticators(config: BusConfig): Authenticator[] | undefined {
  const { credsFile, nkeySeedFile } = config;
  if (credsFile) return [credsAuthenticator(() => readFileSync(credsFile))];
  if (nkeySeedFile) {
    return [nkeyAuthenticator(() => new TextEncoder().encode(readFileSync(nkeySeedFile, 'utf8').trim()))];
  }
  return undefined;
}

function tlsOptions(config: BusConfig): ConnectionOptions['tls'] {
  if (!config.tls) return undefined;
  return { caFile: config.tls.caFile, certFile: config.tls.certFile, keyFile: config.tls.keyFile };
}

/**
 * Each service gets replies on its own inbox prefix (`_INBOX_<name>`), so NATS permissions can let a service read
 * its own replies without reading every other service's (`_INBOX.>` would).
 */
export function inboxPrefixFor(clientName: string): string {
  return `_INBOX_${clientName.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Connection options: reconnect forever, jittered, and wait for the first server instead of failing start-up. */
export function connectionOptions(config: BusConfig, waitForFirstServer = true): ConnectionOptions {
  return {
    servers: config.servers,
    name: config.name,
    token: config.token,
    user: config.user,
    pass: config.password,
    authenticator: authenticators(config),
    tls: tlsOptions(config),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    reconnectJitter: 500,
    waitOnFirstConnect: waitForFirstServer,
    inboxPrefix: config.inboxPrefix ?? inboxPrefixFor(config.name),
    pingInterval: 10_000,
    maxPingOut: 3,
    // Otherwise every request builds an Error (a stack trace) when it starts, for context should it time out: the
    // largest CPU item of the reconciler's request path in a profile. Our errors carry the subject instead.
    noAsyncTraces: true,
  };
}

/** Opens the NATS connection and follows its status: every event logged and counted, the gauge kept true. */
export async function openConnection(
  config: BusConfig,
  logger: Logger,
  registry: Registry,
  waitForFirstServer: boolean,
): Promise<{ nc: NatsConnection; isConnected: () => boolean }> {
  const metrics = connectionMetrics(registry);
  let nc: NatsConnection;
  // The client retries the first connect silently; say so, or a pod waiting for NATS logs nothing at all.
  logger.info({ servers: config.servers }, 'waiting for NATS');
  const reminder = setInterval(
    () => logger.warn({ servers: config.servers }, 'still waiting for NATS'),
    WAIT_LOG_INTERVAL_MS,
  );
  try {
    nc = await connect(connectionOptions(config, waitForFirstServer));
  } catch (err) {
    throw new RdsCsiError('UNAVAILABLE', `cannot connect to NATS: ${errorMessage(err)}`, { cause: err });
  } finally {
    clearInterval(reminder);
  }
  let up = true;
  metrics.connected.set(1);
  logger.info({ server: nc.getServer() }, 'connected to NATS');
  void (async () => {
    for await (const status of nc.status()) {
      metrics.events.inc({ event: status.type });
      if (status.type === 'disconnect') up = false;
      if (status.type === 'reconnect') up = true;
      metrics.connected.set(up ? 1 : 0);
      if (status.type === 'ping' || status.type === 'update') continue;
      const worrying = ['disconnect', 'error', 'staleConnection', 'slowConsumer', 'ldm'].includes(
        status.type,
      );
      logger[worrying ? 'warn' : 'info']({ status }, 'NATS connection status');
    }
  })();
  void nc.closed().then(() => {
    up = false;
    metrics.connected.set(0);
  });
  return { nc, isConnected: () => up && !nc.isClosed() };
}
