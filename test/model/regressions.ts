/** Schedules the fence model once failed with; `npm test` runs them before its random ones. */
import type { Schedule } from './schedule.js';

export const REGRESSIONS: Schedule[] = [
  // A re-publish right after the node was re-created (the node-watcher already reporting the new object) was
  // answered from the old object's record, which the old object's deletion then cleared.
  {
    twoReplicas: false,
    ops: [
      { op: 'publish', volume: 0, node: 'node-0' },
      { op: 'stop-watcher' },
      { op: 'recreate', node: 'node-0' },
      { op: 'start-watcher' },
      { op: 'publish', volume: 0, node: 'node-0' },
      { op: 'settle' },
      { op: 'publish', volume: 0, node: 'node-0' },
    ],
  },
  // The replica that handled a not-ready event stops before the grace ends (fails with replicasStayDown).
  {
    twoReplicas: true,
    ops: [
      { op: 'publish', volume: 0, node: 'node-0' },
      { op: 'not-ready', node: 'node-0', pastGrace: false },
      { op: 'settle' },
      { op: 'stop-reconciler', replica: 0 },
    ],
  },
  // A replayed (old) ready event cancelled the NotReady re-check of a node that is NotReady now.
  {
    twoReplicas: false,
    ops: [
      { op: 'publish', volume: 0, node: 'node-1' },
      { op: 'not-ready', node: 'node-1', pastGrace: false },
      { op: 'settle' },
      { op: 'replay-event', pick: 1 },
    ],
  },
  // After a store loss the adopted records name no host NQN: the RWX volume's second node was never admitted at the
  // RDS, and a cleared node's host stayed admitted (removals beside an unnamed node changed nothing).
  {
    twoReplicas: true,
    ops: [
      { op: 'stop-reconciler', replica: 1 },
      { op: 'unpublish', volume: 2, node: 'node-1' },
      { op: 'publish', volume: 3, node: 'node-1' },
      { op: 'stop-watcher' },
      { op: 'recreate', node: 'node-2' },
      { op: 'start-watcher' },
      { op: 'publish', volume: 2, node: 'node-1' },
      { op: 'store-loss' },
      { op: 'publish', volume: 3, node: 'node-0' },
      { op: 'drop-watches' },
      { op: 'start-watcher' },
      { op: 'publish', volume: 3, node: 'node-2' },
      { op: 'untaint', node: 'node-1' },
      { op: 'replay-event', pick: 824 },
    ],
  },
  // After a store loss, an RWX volume's adopted node (no host NQN) stayed recorded beside node-0, which was then
  // cleared as NotReady past the grace; the removal left the export alone, so node-0's host stayed admitted.
  {
    twoReplicas: true,
    ops: [
      { op: 'publish', volume: 3, node: 'node-2' },
      { op: 'store-loss' },
      { op: 'publish', volume: 0, node: 'node-2' },
      { op: 'recreate', node: 'node-0' },
      { op: 'start-watcher' },
      { op: 'publish', volume: 3, node: 'node-0' },
      { op: 'publish', volume: 2, node: 'node-2' },
      { op: 'unpublish', volume: 0, node: 'node-0' },
      { op: 'start-reconciler', replica: 1 },
      { op: 'publish', volume: 2, node: 'node-1' },
      { op: 'stop-reconciler', replica: 1 },
      { op: 'ready', node: 'node-1' },
      { op: 'replay-event', pick: 868 },
      { op: 'publish', volume: 2, node: 'node-0' },
      { op: 'not-ready', node: 'node-0', pastGrace: false },
      { op: 'unpublish', volume: 0, node: 'node-0' },
      { op: 'drop-watches' },
      { op: 'publish', volume: 3, node: 'node-1' },
    ],
  },
];
