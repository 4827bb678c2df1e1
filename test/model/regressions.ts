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
];
