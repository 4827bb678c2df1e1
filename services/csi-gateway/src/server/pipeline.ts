import type { ServerUnaryCall, sendUnaryData, UntypedServiceImplementation } from '@grpc/grpc-js';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import { DURATION_BUCKETS } from '@rds-csi/observability';
import {
  RPC_NAMES,
  redactSensitive,
  type CsiServiceName,
  type CsiServices,
  type Input,
  type Rpc,
} from '@rds-csi/csi-spec';
import { boundedValue } from './bounded.js';
import { toGrpcFailure } from './errors.js';
import { InFlightKeys } from './locks.js';

/** What the pipeline hands every RPC handler besides the request. */
export interface RpcContext {
  readonly rpc: string;
  /** The gRPC call's deadline (epoch ms), to pass on to bus requests; undefined when the client set none. */
  readonly deadline: number | undefined;
  readonly logger: Logger;
  /** Claims `key` (e.g. `volume:<id>`) until the call ends; ABORTED when another call holds it. */
  lock(key: string, what: string): void;
  /** Adds fields (volume ID, node ID, ...) to the call's completion log line. */
  annotate(fields: Record<string, unknown>): void;
}

export type RpcHandler<Req, Res> = (request: Req, ctx: RpcContext) => Promise<Input<Res>>;

/** A handler for every RPC of a service; the type makes a forgotten RPC a compile error. */
export type ServiceHandlers<R> = {
  [K in keyof R]: R[K] extends Rpc<infer Req, infer Res> ? RpcHandler<Req, Res> : never;
};

interface PipelineMetrics {
  calls: Counter<'csi_service' | 'method' | 'code'>;
  duration: Histogram<'csi_service' | 'method' | 'code'>;
  inFlight: Gauge<'csi_service'>;
}

function pipelineMetrics(registry: Registry): PipelineMetrics {
  return {
    calls: new Counter({
      name: 'rdscsi_csi_rpc_total',
      help: 'CSI RPCs served, by service, method and gRPC status code',
      labelNames: ['csi_service', 'method', 'code'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'rdscsi_csi_rpc_duration_seconds',
      help: 'Time to serve a CSI RPC, by service, method and gRPC status code',
      labelNames: ['csi_service', 'method', 'code'] as const,
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'rdscsi_csi_rpc_in_flight',
      help: 'CSI RPCs being served right now',
      labelNames: ['csi_service'] as const,
      registers: [registry],
    }),
  };
}

function deadlineOf(call: ServerUnaryCall<unknown, unknown>): number | undefined {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The one request pipeline every CSI RPC runs through: logging with secrets redacted, in-flight keys (ABORTED for a
 * second operation on the same volume), the caller's deadline, error mapping to gRPC status codes, and metrics.
 */
export class RpcPipeline {
  private readonly metrics: PipelineMetrics;
  private readonly keys = new InFlightKeys();
  private nextCallId = 1;

  constructor(
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.metrics = pipelineMetrics(registry);
  }

  /** grpc-js handlers for a service, each wrapped in the pipeline. */
  bind<S extends CsiServiceName>(
    service: S,
    handlers: ServiceHandlers<CsiServices[S]>,
  ): UntypedServiceImplementation {
    const implementation: UntypedServiceImplementation = {};
    for (const rpc of RPC_NAMES[service]) {
      const handler = handlers[rpc] as RpcHandler<unknown, unknown>;
      implementation[String(rpc)] = (
        call: ServerUnaryCall<unknown, unknown>,
        callback: sendUnaryData<unknown>,
      ) => void this.serve(service, String(rpc), handler, call, callback);
    }
    return implementation;
  }

  private async serve(
    service: CsiServiceName,
    rpc: string,
    handler: RpcHandler<unknown, unknown>,
    call: ServerUnaryCall<unknown, unknown>,
    callback: sendUnaryData<unknown>,
  ): Promise<void> {
    const started = process.hrtime.bigint();
    const logger = this.logger.child({ service, rpc, call: this.nextCallId++ });
    // Identity RPCs are polled every few seconds by the sidecars: keep them out of the info log.
    const level = service === 'Identity' ? 'debug' : 'info';
    const held: string[] = [];
    const fields: Record<string, unknown> = {};
    const ctx: RpcContext = {
      rpc,
      deadline: deadlineOf(call),
      logger,
      lock: (key, what) => {
        this.keys.acquire(key, what);
        held.push(key);
      },
      annotate: (extra) => Object.assign(fields, boundedValue(extra)),
    };
    // Redaction walks the whole message: only pay for it when the line is written.
    const debug = logger.isLevelEnabled('debug');
    if (debug) logger.debug({ request: boundedValue(redactSensitive(call.request)) }, 'rpc started');
    this.metrics.inFlight.inc({ csi_service: service });
    let code = 'OK';
    try {
      const response = await handler(call.request, ctx);
      callback(null, response);
      logger[level]({ ...fields, code, ms: elapsedMs(started) }, 'rpc done');
      if (debug) logger.debug({ response: boundedValue(redactSensitive(response)) }, 'rpc response');
    } catch (err) {
      const failure = toGrpcFailure(err);
      code = failure.codeName;
      callback({ code: failure.code, details: failure.details });
      if (failure.expected)
        logger[level]({ ...fields, code, ms: elapsedMs(started), reason: failure.details }, 'rpc failed');
      else logger.error({ ...fields, code, err }, 'rpc failed unexpectedly');
    } finally {
      for (const key of held) this.keys.release(key);
      this.metrics.inFlight.dec({ csi_service: service });
      // `service` is the registry's default label (the process); the CSI service gets its own name.
      const labels = { csi_service: service, method: rpc, code };
      this.metrics.calls.inc(labels);
      this.metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}

const elapsedMs = (started: bigint): number => Number((process.hrtime.bigint() - started) / 1_000_000n);
