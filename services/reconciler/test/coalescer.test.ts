import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ReconcileTrigger } from '@rds-csi/contracts';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { PassCoalescer, type PassRequest } from '../src/coalescer.js';

interface FakeReport {
  pass: number;
  trigger: ReconcileTrigger;
  dryRun: boolean;
}

/** A pass function whose passes end only when the test releases them, recording overlap. */
function controlledPasses() {
  const started: PassRequest[] = [];
  const releases: ((fail?: Error) => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const run = (request: PassRequest): Promise<FakeReport> => {
    started.push(request);
    const pass = started.length;
    running++;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<FakeReport>((resolve, reject) => {
      releases.push((fail) => {
        running--;
        if (fail) reject(fail);
        else resolve({ pass, ...request });
      });
    });
  };
  return {
    run,
    started,
    maxRunning: () => maxRunning,
    release: async (pass: number, fail?: Error) => {
      await waitFor(() => releases[pass - 1], { message: `pass ${pass} started` });
      releases[pass - 1]?.(fail);
    },
  };
}

describe('pass coalescing', () => {
  it('runs a pass at once when idle', async () => {
    const passes = controlledPasses();
    const coalescer = new PassCoalescer(passes.run);
    const report = coalescer.request('manual');
    await passes.release(1);
    assert.deepEqual(await report, { pass: 1, trigger: 'manual', dryRun: false });
  });

  it('serves every trigger made during a pass with exactly one more pass, never two at once', async () => {
    const passes = controlledPasses();
    const coalescer = new PassCoalescer(passes.run);
    const first = coalescer.request('startup');
    const during = [
      coalescer.request('manual'),
      coalescer.request('node-event'),
      coalescer.request('periodic'),
    ];
    assert.equal(passes.started.length, 1, 'no second pass while the first runs');
    await passes.release(1);
    assert.equal((await first).pass, 1);
    await passes.release(2);
    const reports = await Promise.all(during);
    assert.deepEqual(
      reports.map((r) => r.pass),
      [2, 2, 2],
      'all joined the one pass that started after them',
    );
    assert.equal(reports[0]?.trigger, 'manual', 'the pass carries the first waiting trigger');
    assert.equal(passes.started.length, 2);
    assert.equal(passes.maxRunning(), 1);
  });

  it('keeps dry runs and real passes apart, real ones first', async () => {
    const passes = controlledPasses();
    const coalescer = new PassCoalescer(passes.run);
    const first = coalescer.request('manual', true);
    const dry = coalescer.request('manual', true);
    const real = coalescer.request('periodic', false);
    await passes.release(1);
    await first;
    await passes.release(2);
    assert.deepEqual(await real, { pass: 2, trigger: 'periodic', dryRun: false });
    await passes.release(3);
    assert.deepEqual(await dry, { pass: 3, trigger: 'manual', dryRun: true });
    assert.equal(passes.maxRunning(), 1);
  });

  it('hands a failure to the callers of that pass only, and keeps going', async () => {
    const passes = controlledPasses();
    const coalescer = new PassCoalescer(passes.run);
    const failing = coalescer.request('startup');
    const next = coalescer.request('manual');
    await passes.release(1, new Error('node list unavailable'));
    assert.equal((await rejectionOf(() => failing)).message, 'node list unavailable');
    await passes.release(2);
    assert.equal((await next).pass, 2);
  });

  it('refuses new requests after close, failing the queued ones and waiting for the running one', async () => {
    const passes = controlledPasses();
    const coalescer = new PassCoalescer(passes.run);
    const running = coalescer.request('manual');
    const queued = coalescer.request('periodic');
    const closed = coalescer.close();
    assert.equal((await rejectionOf(() => queued)).code, 'UNAVAILABLE');
    assert.equal((await rejectionOf(() => coalescer.request('manual'))).code, 'UNAVAILABLE');
    await passes.release(1);
    await closed;
    assert.equal((await running).pass, 1);
    assert.equal(passes.started.length, 1);
  });
});
