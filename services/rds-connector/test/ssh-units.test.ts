import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RdsCsiError } from '@rds-csi/contracts';
import { baseDelayMs } from '@rds-csi/bus';
import { RECONNECT_BACKOFF, ReconnectSchedule } from '../src/ssh/backoff.js';
import { ChannelLimiter } from '../src/ssh/channel-limiter.js';
import { fingerprintOf, hostKeyMatches, parseHostKeyPin } from '../src/ssh/host-key.js';

describe('reconnect schedule', () => {
  it('doubles from 1 s and caps at 16 s (the bus backoff adds the jitter)', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 50].map((n) => baseDelayMs(n, RECONNECT_BACKOFF)),
      [1000, 2000, 4000, 8000, 16000, 16000, 16000],
    );
  });
});

describe('reconnect schedule across attempts', () => {
  it('waits nothing first, then 1-16 s plus 10-30 %, and starts over only after a healthy connection', () => {
    const lowest = new ReconnectSchedule(RECONNECT_BACKOFF, () => 0);
    assert.deepEqual(
      Array.from({ length: 7 }, () => lowest.nextDelayMs()),
      [0, 1100, 2200, 4400, 8800, 17600, 17600],
    );
    const highest = new ReconnectSchedule(RECONNECT_BACKOFF, () => 1);
    assert.deepEqual(
      Array.from({ length: 3 }, () => highest.nextDelayMs()),
      [0, 1300, 2600],
    );
    highest.healthy();
    assert.equal(highest.nextDelayMs(), 0);
    assert.equal(highest.nextDelayMs(), 1300);
  });
});

describe('host key pins', () => {
  const key = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIB7g2r0i3jLhRZQ7f3cN3uTgXx9b0yqk7e8bXy6tG2mJ', 'base64');
  it('accepts a matching fingerprint or known_hosts line and rejects others', () => {
    assert.ok(hostKeyMatches(parseHostKeyPin(fingerprintOf(key)), key));
    assert.ok(hostKeyMatches(parseHostKeyPin(`rds.example ssh-ed25519 ${key.toString('base64')}`), key));
    assert.ok(!hostKeyMatches(parseHostKeyPin('SHA256:' + 'B'.repeat(43)), key));
  });
  it('refuses malformed pins', () => {
    for (const bad of [
      '',
      'md5:aa:bb',
      'SHA256:short',
      'host ssh-dss AAAA',
      'host ssh-ed25519 not-base64!',
    ]) {
      assert.throws(
        () => parseHostKeyPin(bad),
        (e: unknown) => e instanceof RdsCsiError && e.code === 'INVALID_ARGUMENT',
        bad,
      );
    }
  });
});

describe('channel limiter', () => {
  it('queues beyond the bound in order and times out waiters at their deadline', async () => {
    const limiter = new ChannelLimiter(1);
    const release = await limiter.acquire(Date.now() + 1000);
    const order: number[] = [];
    const second = limiter.acquire(Date.now() + 5000).then((r) => (order.push(2), r));
    const expired = limiter.acquire(Date.now() + 20).catch((e: RdsCsiError) => e.code);
    assert.equal(await expired, 'UNAVAILABLE');
    assert.equal(limiter.queued, 1);
    release();
    (await second)();
    assert.deepEqual(order, [2]);
    assert.equal(limiter.inUse, 0);
  });
});
