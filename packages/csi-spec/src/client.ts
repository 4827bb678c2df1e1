import { Client, Metadata, credentials, type ChannelOptions, type ServiceDefinition } from '@grpc/grpc-js';
import { csiServices } from './load.js';
import { RPC_NAMES, type CsiServiceName, type CsiServices, type Rpc } from './rpcs.js';
import type { Input } from './types.js';

export interface CsiCallOptions {
  /** Absolute deadline; the server sees it as the call's deadline. */
  deadline?: Date | number;
  metadata?: Metadata;
}

/** A promise-returning client of one CSI service; failures reject with the grpc-js ServiceError (`code`, `details`). */
export type PromiseClient<R> = {
  [K in keyof R]: R[K] extends Rpc<infer Req, infer Res>
    ? (request: Input<Req>, options?: CsiCallOptions) => Promise<Res>
    : never;
};

export interface CsiClient {
  identity: PromiseClient<CsiServices['Identity']>;
  controller: PromiseClient<CsiServices['Controller']>;
  node: PromiseClient<CsiServices['Node']>;
  /** The channel all three services share, e.g. for `waitForReady`. */
  readonly channel: Client;
  close(): void;
}

function unaryCaller(channel: Client, definition: ServiceDefinition, rpc: string) {
  const method = definition[rpc];
  if (!method) throw new Error(`unknown CSI RPC ${rpc}`);
  return (request: unknown, options: CsiCallOptions = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      channel.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        options.metadata ?? new Metadata(),
        { deadline: options.deadline },
        (err, value) => (err ? reject(err) : resolve(value)),
      );
    });
}

function promiseClient<S extends CsiServiceName>(channel: Client, service: S): PromiseClient<CsiServices[S]> {
  const definition = csiServices[service];
  const calls = RPC_NAMES[service].map((rpc) => [rpc, unaryCaller(channel, definition, String(rpc))]);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- one caller per RPC name of the service, which is what PromiseClient lists.
  return Object.fromEntries(calls) as PromiseClient<CsiServices[S]>;
}

/**
 * A CSI client over an insecure channel (CSI endpoints are local sockets), e.g.
 * `createCsiClient('unix:///run/csi/csi.sock')` or `createCsiClient('127.0.0.1:10000')`.
 * Channel options such as `grpc.default_authority` pass through.
 */
export function createCsiClient(address: string, options: ChannelOptions = {}): CsiClient {
  const channel = new Client(address, credentials.createInsecure(), options);
  return {
    identity: promiseClient(channel, 'Identity'),
    controller: promiseClient(channel, 'Controller'),
    node: promiseClient(channel, 'Node'),
    channel,
    close: () => channel.close(),
  };
}
