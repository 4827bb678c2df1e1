import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecheckTimers } from '../src/recheck-timers.js';

const GRACE_MS = 60_000;

function timersOnMockedClock(t: test.TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  const fired: string[] = [];
  return { timers: new RecheckTimers((nodeId) => fired.push(nodeId)), fired };
}

test('a re-check fires when the grace ends, not before', (t) => {
  const { timers, fired } = timersOnMockedClock(t);
  timers.schedule('node-a', new Date(GRACE_MS));
  t.mock.timers.tick(GRACE_MS - 1);
  assert.deepEqual(fired, []);
  t.mock.timers.tick(1);
  assert.deepEqual(fired, ['node-a']);
  assert.deepEqual(timers.pending(), []);
});

test('a cancelled re-check never fires, however long past the grace', (t) => {
  const { timers, fired } = timersOnMockedClock(t);
  timers.schedule('node-a', new Date(GRACE_MS));
  t.mock.timers.tick(GRACE_MS / 3);
  assert.equal(timers.cancel('node-a'), true);
  t.mock.timers.tick(GRACE_MS * 2);
  assert.deepEqual(fired, []);
  assert.deepEqual(timers.pending(), []);
});

test('the earliest due time wins', (t) => {
  const { timers, fired } = timersOnMockedClock(t);
  timers.schedule('node-a', new Date(GRACE_MS));
  timers.schedule('node-a', new Date(2 * GRACE_MS));
  timers.schedule('node-a', new Date(GRACE_MS / 2));
  t.mock.timers.tick(GRACE_MS / 2);
  assert.deepEqual(fired, ['node-a']);
  t.mock.timers.tick(2 * GRACE_MS);
  assert.deepEqual(fired, ['node-a']);
});
