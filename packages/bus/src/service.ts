import { headers as natsHeaders, nuid, type Msg, type Subscription } from '@nats-io/nats-core';
import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import {
  DEADLINE_HEADER,
  RdsCsiError,
  decodeRequest,
  encodeError,
  encodeResult,
  toRdsCsiError,
  type Endpoint,
  type ParsedRequestOf,
  type ResponseOf,
  type ServiceName,
} from '@rds-csi/contracts';
import { DURATION_BUCKETS, metricOnce } from '@rds-csi/observability';
import type { Bus } from './bus.js';

/** What a handler knows about the request besides its body. */
export interface HandlerContext {
  /** Absolute deadline (epoch ms): the caller's, or the bus default when it sent none. */
  deadline: number;
  subject: string;
}

export interface EndpointHandler {
  endpoint: Endpoint;
  handle(data: Uint8Array, ctx: HandlerContext): Promise<Uint8Array>;
}

/** Binds a typed handler to an endpoint: the request is decoded and validated before the handler sees it. */
export function handle<E extends Endpoint>(
  endpoint: E,
  fn: (request: ParsedRequestOf<E>, ctx: HandlerContext) => Promise<ResponseOf<E>>,
): EndpointHandler {
  return {
    endpoint,
    async handle(data, ctx) {
      const request = decodeRequest(endpoint.request, data) as ParsedRequestOf<E>;
      return encodeResult(await fn(request, ctx));
    },
  };
}

export interface ServiceInfo {
  name: ServiceName;
  version: string;
  description: string;
  /** Shown by `nats micro info` (ADR-32 metadata): what tells instances of one service apart. */
  metadata?: Record<string, string>;
}

export interface RunningService {
  readonly id: string;
  stop(): Promise<void>;
}

interface EndpointStats {
  name: string;
  subject: string;
  queue_group: string;
  num_requests: number;
  num_errors: number;
  last_error: string;
  processing_time: number;
  average_processing_time: number;
}

/** Queue group of every endpoint, as the NATS services framework uses, so replicas share the load. */
const QUEUE_GROUP = 'q';

function serviceMetrics(registry: Registry) {
  return {
    requests: metricOnce(
      registry,
      'rdscsi_bus_requests_total',
      (registers) =>
        new Counter({
          name: 'rdscsi_bus_requests_total',
          help: 'Requests handled by this service, by endpoint and result code',
          labelNames: ['endpoint', 'code'] as const,
          registers,
        }),
    ),
    duration: metricOnce(
      registry,
      'rdscsi_bus_request_duration_seconds',
      (registers) =>
        new Histogram({
          name: 'rdscsi_bus_request_duration_seconds',
          help: 'Time to handle a request, by endpoint',
          labelNames: ['endpoint'] as const,
          buckets: DURATION_BUCKETS,
          registers,
        }),
    ),
  };
}

function parseDeadline(msg: Msg, fallbackMs: number): number {
  const raw = msg.headers?.get(DEADLINE_HEADER);
  const value = raw ? Number(raw) : NaN;
  return Number.isFinite(value) && value > 0 ? value : Date.now() + fallbackMs;
}

/**
 * Registers a service with the NATS services framework protocol ($SRV.PING/INFO/STATS, so `nats micro ls|info|stats`
 * shows it) and serves its endpoints in the shared queue group. Handler failures become error replies with the
 * RdsCsiError code, also set as the framework's Nats-Service-Error headers; nothing a caller sends can crash it.
 */
export async function startService(
  bus: Bus,
  info: ServiceInfo,
  handlers: EndpointHandler[],
): Promise<RunningService> {
  const id = nuid.next();
  const started = new Date().toISOString();
  const metrics = serviceMetrics(bus.registry);
  const stats = new Map<string, EndpointStats>();
  const subs: Subscription[] = [];

  for (const h of handlers) {
    const subject = bus.names.subject(h.endpoint.path);
    const s: EndpointStats = {
      name: h.endpoint.name,
      subject,
      queue_group: QUEUE_GROUP,
      num_requests: 0,
      num_errors: 0,
      last_error: '',
      processing_time: 0,
      average_processing_time: 0,
    };
    stats.set(subject, s);
    subs.push(
      bus.nc.subscribe(subject, {
        queue: QUEUE_GROUP,
        callback: (err, msg) => {
          if (err) {
            bus.logger.error({ err, subject }, 'endpoint subscription error');
            return;
          }
          void serve(h, msg, s);
        },
      }),
    );
  }

  async function serve(h: EndpointHandler, msg: Msg, s: EndpointStats): Promise<void> {
    const begin = process.hrtime.bigint();
    let code = 'OK';
    let reply: Uint8Array;
    const hdrs = natsHeaders();
    try {
      reply = await h.handle(msg.data, {
        deadline: parseDeadline(msg, bus.config.requestTimeoutMs),
        subject: msg.subject,
      });
    } catch (thrown) {
      const err = toRdsCsiError(thrown);
      code = err.code;
      s.num_errors++;
      s.last_error = `${err.code}: ${err.message}`;
      if (err.code === 'INTERNAL' && !(thrown instanceof RdsCsiError)) {
        bus.logger.error({ err: thrown, subject: msg.subject }, 'endpoint failed unexpectedly');
      }
      hdrs.set('Nats-Service-Error', err.message.slice(0, 200));
      hdrs.set('Nats-Service-Error-Code', String(err.grpcStatus));
      reply = encodeError(err);
    }
    const elapsedNs = Number(process.hrtime.bigint() - begin);
    s.num_requests++;
    s.processing_time += elapsedNs;
    s.average_processing_time = Math.round(s.processing_time / s.num_requests);
    metrics.requests.inc({ endpoint: s.name, code });
    metrics.duration.observe({ endpoint: s.name }, elapsedNs / 1e9);
    if (msg.reply) msg.respond(reply, code === 'OK' ? undefined : { headers: hdrs });
  }

  const base = () => ({ name: info.name, id, version: info.version, metadata: info.metadata ?? {} });
  const discovery: Record<string, () => object> = {
    PING: () => ({ type: 'io.nats.micro.v1.ping_response', ...base() }),
    INFO: () => ({
      type: 'io.nats.micro.v1.info_response',
      ...base(),
      description: info.description,
      endpoints: [...stats.values()].map((s) => ({
        name: s.name,
        subject: s.subject,
        queue_group: s.queue_group,
        metadata: null,
      })),
    }),
    STATS: () => ({
      type: 'io.nats.micro.v1.stats_response',
      ...base(),
      started,
      endpoints: [...stats.values()],
    }),
  };
  for (const [verb, body] of Object.entries(discovery)) {
    for (const subject of [`$SRV.${verb}`, `$SRV.${verb}.${info.name}`, `$SRV.${verb}.${info.name}.${id}`]) {
      subs.push(
        bus.nc.subscribe(subject, {
          callback: (_err, msg) => {
            msg.respond(new TextEncoder().encode(JSON.stringify(body())));
          },
        }),
      );
    }
  }
  await bus.nc.flush();
  bus.logger.info({ service: info.name, id, endpoints: [...stats.keys()] }, 'service registered');

  return {
    id,
    async stop() {
      for (const sub of subs) sub.unsubscribe();
      if (!bus.nc.isClosed()) await bus.nc.flush().catch(() => undefined);
    },
  };
}
