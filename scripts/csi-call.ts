/**
 * `npm run csi -- <Rpc> ['<json request>'] [--socket unix:///path]`: one CSI call against a gateway socket, printed as
 * JSON, like the CO's sidecars would make it. The socket defaults to the local stack's (.local/csi-controller.sock).
 *   npm run csi -- Probe
 *   npm run csi -- CreateVolume '{"name":"pvc-1b4e28ba-2fa1-11d2-883f-0016d3cca427","capacity_range":{"required_bytes":1073741824},
 *     "volume_capabilities":[{"mount":{"fs_type":"ext4"},"access_mode":{"mode":"SINGLE_NODE_WRITER"}}]}'
 */
import { join, resolve } from 'node:path';
import { RPC_NAMES, createCsiClient, type CsiServiceName } from '@rds-csi/csi-spec';

const args = process.argv.slice(2);
const socketFlag = args.indexOf('--socket');
const socket =
  socketFlag >= 0
    ? args.splice(socketFlag, 2)[1]
    : `unix://${join(resolve(import.meta.dirname, '..'), '.local', 'csi-controller.sock')}`;
const [rpc, body = '{}'] = args;

const service = (Object.keys(RPC_NAMES) as CsiServiceName[]).find((s) =>
  (RPC_NAMES[s] as readonly string[]).includes(rpc ?? ''),
);
if (!rpc || !service || !socket) {
  console.error(
    `usage: npm run csi -- <Rpc> ['<json>'] [--socket unix:///path]\nRPCs: ${Object.values(RPC_NAMES).flat().join(', ')}`,
  );
  process.exit(2);
}
const client = createCsiClient(socket);
const calls = { Identity: client.identity, Controller: client.controller, Node: client.node }[
  service
] as unknown as Record<string, (request: unknown, options: { deadline: number }) => Promise<unknown>>;
try {
  const response = await calls[rpc]?.(JSON.parse(body), { deadline: Date.now() + 30_000 });
  console.log(JSON.stringify(response, null, 2));
} catch (err) {
  const { code, details } = err as { code?: number; details?: string };
  console.error(code === undefined ? err : `gRPC status ${code}: ${details}`);
  process.exitCode = 1;
} finally {
  client.close();
}
