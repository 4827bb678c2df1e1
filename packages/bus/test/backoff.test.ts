import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, baseDelayMs, jitterMs } from '../src/index.js';

describe('backoff', () => {
  const policy = { minMs: 1000, maxMs: 30_000 };
  it('doubles up to the cap, with 10-30 % jitter', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelayMs(n, policy, () => 0)),
      [1100, 2200, 4400, 8800, 17600, 33000, 33000, 33000],
    );
    assert.equal(
      backoffDelayMs(1, policy, () => 0.999999),
      1300,
    );
  });
});

describe('backoff parts', () => {
  it('adds 10-30 % of the base as jitter', () => {
    assert.equal(
      jitterMs(1000, () => 0),
      100,
    );
    assert.equal(
      jitterMs(1000, () => 0.5),
      200,
    );
    assert.ok(jitterMs(16_000, () => 0.999999) <= 4800);
    assert.equal(baseDelayMs(0, { minMs: 1000, maxMs: 16_000 }), 1000);
  });
});
