import type { NodeEvent } from '@rds-csi/contracts';
import type { Logger } from 'pino';
import type { ReconcilerConfig } from './config.js';
import type { Passes } from './passes.js';
import { TRANSITION_TIME_RESOLUTION_MS } from './rules.js';

/**
 * What a node event means: NotReady schedules a re-check at the end of the grace (Ready cancels none: the re-check
 * finds a Ready node healthy); deleted and out-of-service clear the node's attachments at once. A rejection asks
 * for redelivery.
 */
export function nodeEventHandler(deps: {
  passes: Passes;
  config: ReconcilerConfig;
  logger: Logger;
}): (event: NodeEvent) => Promise<void> {
  const { passes, config, logger } = deps;
  return async (event) => {
    const { node, kind } = event;
    logger.info({ node, kind, at: event.at, notReadySince: event.notReadySince }, 'node event');
    if (kind === 'ready') {
      // The re-check is kept: a replayed or late ready event must not cancel the re-check of a node that is NotReady
      // now. It judges the node list of its time, so a node Ready by then loses nothing.
      passes.notReadyEventAt.delete(node);
      return;
    }
    if (kind === 'not-ready') {
      if (!passes.notReadyEventAt.has(node)) passes.notReadyEventAt.set(node, Date.parse(event.at));
      const since = Date.parse(event.notReadySince ?? event.at) + TRANSITION_TIME_RESOLUTION_MS;
      passes.recheck.schedule(node, new Date(since + config.notReadyGraceMs));
      return;
    }
    passes.recheck.cancel(node);
    passes.notReadyEventAt.delete(node);
    await passes.clearNode({ ...event, kind });
  };
}
