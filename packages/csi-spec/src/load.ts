import { fileURLToPath } from 'node:url';
import { loadSync, type Options } from '@grpc/proto-loader';
import type { ServiceDefinition } from '@grpc/grpc-js';
import type { CsiServiceName } from './rpcs.js';

/** The project's CSI v1 protocol definition. */
export const CSI_PROTO_PATH = fileURLToPath(new URL('../proto/csi.proto', import.meta.url));

export const CSI_PACKAGE = 'csi.v1';

/**
 * How messages are decoded (src/types.ts describes the resulting shapes). int64 becomes a decimal string rather
 * than a number: capacities are int64 and a number would silently lose precision above 2^53, where a string lets
 * the gateway refuse such a size with OUT_OF_RANGE instead.
 */
export const LOADER_OPTIONS: Readonly<Options> = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

const packageDefinition = loadSync(CSI_PROTO_PATH, { ...LOADER_OPTIONS });

function service(name: CsiServiceName): ServiceDefinition {
  const definition = packageDefinition[`${CSI_PACKAGE}.${name}`];
  if (!definition || 'format' in definition)
    throw new Error(`${CSI_PROTO_PATH} does not define service ${name}`);
  return definition;
}

/** The grpc-js service definitions, for `server.addService` and for clients. */
export const csiServices: Readonly<Record<CsiServiceName, ServiceDefinition>> = {
  Identity: service('Identity'),
  Controller: service('Controller'),
  Node: service('Node'),
};

export { packageDefinition as csiPackageDefinition };
