/**
 * The schedules of the fence model: what can happen to a cluster, as data, so that fast-check can generate, print
 * and replay them. Pure: no I/O here.
 */
import fc from 'fast-check';

export const NODE_NAMES = ['node-0', 'node-1', 'node-2'] as const;
export type NodeName = (typeof NODE_NAMES)[number];

/** Volumes 0-2 are RWO filesystem volumes; volume 3 is an RWX block volume (live migration: two nodes at most). */
export const VOLUME_KINDS = ['rwo', 'rwo', 'rwo', 'rwx'] as const;
export type VolumeIndex = 0 | 1 | 2 | 3;

export type Op =
  | { op: 'create' | 'delete' | 'recreate' | 'ready' | 'taint' | 'untaint'; node: NodeName }
  /** pastGrace: lastTransitionTime long ago (time driven explicitly); otherwise NotReady from now on. */
  | { op: 'not-ready'; node: NodeName; pastGrace: boolean }
  | { op: 'publish' | 'unpublish'; volume: VolumeIndex; node: NodeName }
  | { op: 'stop-watcher' | 'start-watcher' | 'expire-watches' | 'drop-watches' | 'settle' | 'store-loss' }
  /** Publishes again an event the node-watcher published earlier (the pick-th, modulo how many there are). */
  | { op: 'replay-event'; pick: number }
  | { op: 'stop-reconciler' | 'start-reconciler'; replica: 0 | 1 };

export interface Schedule {
  /** Two reconciler replicas share the store and the node events consumer (deploy/ ships two). */
  twoReplicas: boolean;
  ops: Op[];
}

export interface ScheduleOptions {
  maxSteps: number;
  /** Deleting the KV bucket (issue 8 finding 1): off until store-loss handling is merged. */
  includeStoreLoss: boolean;
}

const node = fc.constantFrom(...NODE_NAMES);
const volume = fc.constantFrom<VolumeIndex>(0, 1, 2, 3);
const replica = fc.constantFrom<0 | 1>(0, 1);

function opArbitrary(options: ScheduleOptions): fc.Arbitrary<Op> {
  const nodeOp = (op: 'create' | 'delete' | 'recreate' | 'ready' | 'taint' | 'untaint') =>
    node.map((n): Op => ({ op, node: n }));
  const plain = (op: 'stop-watcher' | 'start-watcher' | 'expire-watches' | 'drop-watches' | 'settle') =>
    fc.constant<Op>({ op });
  const weighted: fc.WeightedArbitrary<Op>[] = [
    { weight: 12, arbitrary: fc.record({ op: fc.constant('publish' as const), volume, node }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('unpublish' as const), volume, node }) },
    { weight: 2, arbitrary: nodeOp('create') },
    { weight: 2, arbitrary: nodeOp('delete') },
    { weight: 3, arbitrary: nodeOp('recreate') },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant('not-ready' as const), node, pastGrace: fc.boolean() }),
    },
    { weight: 3, arbitrary: nodeOp('ready') },
    { weight: 2, arbitrary: nodeOp('taint') },
    { weight: 1, arbitrary: nodeOp('untaint') },
    { weight: 2, arbitrary: plain('stop-watcher') },
    { weight: 3, arbitrary: plain('start-watcher') },
    { weight: 1, arbitrary: plain('expire-watches') },
    { weight: 1, arbitrary: plain('drop-watches') },
    { weight: 2, arbitrary: plain('settle') },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('replay-event' as const), pick: fc.nat(1000) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('stop-reconciler' as const), replica }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('start-reconciler' as const), replica }) },
  ];
  if (options.includeStoreLoss)
    weighted.push({ weight: 1, arbitrary: fc.constant<Op>({ op: 'store-loss' }) });
  return fc.oneof(...weighted);
}

export function scheduleArbitrary(options: ScheduleOptions): fc.Arbitrary<Schedule> {
  return fc.record({
    twoReplicas: fc.boolean(),
    ops: fc.array(opArbitrary(options), { minLength: 4, maxLength: options.maxSteps }),
  });
}

/** One line per step, for failure reports. */
export function describeOp(op: Op): string {
  const { op: name, ...rest } = op;
  const args = Object.values(rest).map(String);
  return args.length > 0 ? `${name}(${args.join(', ')})` : name;
}
