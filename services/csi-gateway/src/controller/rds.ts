import type { Bus } from '@rds-csi/bus';
import { RdsCsiError, unavailable, type Endpoint, type RequestOf, type ResponseOf } from '@rds-csi/contracts';
import type { RpcContext } from '../server/pipeline.js';

/** Bus requests on behalf of an RPC: carry its deadline, and fail at once while NATS is down instead of queueing. */
export interface BusCalls {
  request<E extends Endpoint>(endpoint: E, body: RequestOf<E>, ctx: RpcContext): Promise<ResponseOf<E>>;
  /** Like request, but NOT_FOUND is an answer (undefined), not a failure. */
  find<E extends Endpoint>(
    endpoint: E,
    body: RequestOf<E>,
    ctx: RpcContext,
  ): Promise<ResponseOf<E> | undefined>;
}

export function busCalls(bus: Bus): BusCalls {
  const request = <E extends Endpoint>(
    endpoint: E,
    body: RequestOf<E>,
    ctx: RpcContext,
  ): Promise<ResponseOf<E>> => {
    if (!bus.isConnected()) return Promise.reject(unavailable('NATS is not connected'));
    return bus.request(endpoint, body, { deadline: ctx.deadline });
  };
  return {
    request,
    find: (endpoint, body, ctx) => request(endpoint, body, ctx).catch(unlessNotFound),
  };
}

/** Turns NOT_FOUND into undefined and rethrows anything else. */
export function unlessNotFound(err: unknown): undefined {
  if (err instanceof RdsCsiError && err.code === 'NOT_FOUND') return undefined;
  throw err;
}

/**
 * Idempotent creation, create first: the rds-connector's create is itself idempotent for an identical request and
 * validates everything before it sends a command, so a new object costs no extra lookup and bad input never reaches
 * the RDS. When it answers ALREADY_EXISTS (an existing object differs, or another creator won a race), the existing
 * object is adopted if it is compatible with the request (the check throws ALREADY_EXISTS otherwise).
 */
export async function ensureCreated<T>(
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
  checkCompatible: (existing: T) => void,
): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (!(err instanceof RdsCsiError && err.code === 'ALREADY_EXISTS')) throw err;
    const existing = await find();
    if (!existing) throw err;
    checkCompatible(existing);
    return existing;
  }
}
