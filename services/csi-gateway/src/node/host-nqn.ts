import { readFile } from 'node:fs/promises';
import { HostNqn, errorMessage } from '@rds-csi/contracts';
import type { Logger } from '@rds-csi/observability';

/** Host NQN files are one short line; anything longer is not one. */
const MAX_FILE_BYTES = 1024;

/**
 * The node's host NQN from nvme-cli's file, or undefined (logged) when it is missing or malformed: the node then
 * reports a plain node ID and the storage fence cannot admit it by name (docs/node-plugin.md).
 */
export async function readHostNqn(path: string, logger: Logger): Promise<string | undefined> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).slice(0, MAX_FILE_BYTES).trim();
  } catch (err) {
    logger.warn(
      { path, err: errorMessage(err) },
      'no NVMe host NQN: the storage fence cannot admit this node',
    );
    return undefined;
  }
  const parsed = HostNqn.safeParse(text);
  if (parsed.success) return parsed.data;
  logger.warn({ path }, 'malformed NVMe host NQN: the storage fence cannot admit this node');
  return undefined;
}
