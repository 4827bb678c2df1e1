import { lstat, mkdir, unlink } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';

/** Where the gateway listens: a unix socket (production) or TCP (debugging only). */
export type Endpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/**
 * Parses CSI_ENDPOINT: `unix:///abs/path.sock` (also `unix:/abs/path.sock`, as some sidecars write it) or
 * `tcp://host:port`.
 */
export function parseEndpoint(value: string): Endpoint {
  const unix = /^unix:(?:\/\/)?(\/.*)$/.exec(value);
  if (unix) {
    const path = unix[1]!;
    if (!isAbsolute(path) || path.startsWith('//') || path.endsWith('/'))
      throw new Error(`endpoint ${value}: the socket path must be an absolute file path`);
    return { kind: 'unix', path };
  }
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^:/[\]]+):(\d{1,5})$/.exec(value);
  if (tcp && Number(tcp[2]) <= 65_535) return { kind: 'tcp', host: tcp[1]!, port: Number(tcp[2]) };
  throw new Error(`endpoint ${JSON.stringify(value)} must be unix:///path/to/csi.sock or tcp://host:port`);
}

/** The address grpc-js binds (and a client dials) for an endpoint. */
export const grpcAddress = (endpoint: Endpoint): string =>
  endpoint.kind === 'unix' ? `unix://${endpoint.path}` : `${endpoint.host}:${endpoint.port}`;

/**
 * Makes a socket path bindable: creates its directory and removes a socket left by a previous run (a crashed
 * process leaves it behind and bind would fail). Anything that is not a socket is left alone and reported.
 */
export async function prepareSocketPath(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o750 });
  const existing = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!existing) return;
  if (!existing.isSocket()) throw new Error(`${path} exists and is not a socket; refusing to replace it`);
  await unlink(path);
}

/** Removes the socket on shutdown, if it is still a socket. */
export async function removeSocket(path: string): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSocket()) await unlink(path).catch(() => undefined);
}
