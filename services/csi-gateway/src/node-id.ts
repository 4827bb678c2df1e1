/**
 * The CSI node ID this driver reports (NodeGetInfo) and receives back (ControllerPublish/Unpublish, through the
 * CSINode object): `<node-name>@<host-nqn>`, so the node's NVMe host NQN reaches the controller side without any
 * new Kubernetes or NATS right for the node plugin. A plain `<node-name>` (what the Go driver reported, or a node
 * whose host NQN is unknown or would not fit) still parses, without a host NQN.
 *
 * Neither part can contain `@`: node names are DNS-1123 subdomains and NQNs match NQN_PATTERN.
 */
import { HostNqn, NodeId } from '@rds-csi/contracts';

/** Kubernetes validates CSINode node IDs at 192 bytes unless long IDs are enabled (256 is the CSI limit). */
export const MAX_NODE_ID_BYTES = 192;
const SEPARATOR = '@';

export interface NodeIdentity {
  nodeName: string;
  hostNqn?: string | undefined;
}

/** The node ID for a node; without a host NQN, or when the pair would be too long, the plain node name. */
export function encodeNodeId(identity: NodeIdentity): string {
  const nodeName = NodeId.parse(identity.nodeName);
  if (identity.hostNqn === undefined) return nodeName;
  const encoded = `${nodeName}${SEPARATOR}${HostNqn.parse(identity.hostNqn)}`;
  return Buffer.byteLength(encoded) <= MAX_NODE_ID_BYTES ? encoded : nodeName;
}

/** Parses a node ID from a CO; undefined when it is not one this driver could have reported. */
export function parseNodeId(nodeId: string): NodeIdentity | undefined {
  if (Buffer.byteLength(nodeId) > MAX_NODE_ID_BYTES && nodeId.includes(SEPARATOR)) return undefined;
  const at = nodeId.indexOf(SEPARATOR);
  const nodeName = at < 0 ? nodeId : nodeId.slice(0, at);
  if (!NodeId.safeParse(nodeName).success) return undefined;
  if (at < 0) return { nodeName };
  const hostNqn = nodeId.slice(at + 1);
  return HostNqn.safeParse(hostNqn).success ? { nodeName, hostNqn } : undefined;
}
