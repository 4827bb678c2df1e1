import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RdsCsiError } from '@rds-csi/contracts';
import { baseDelayMs } from '@rds-csi/bus';
import { RECONNECT_BACKOFF, ReconnectSchedule } from '../src/ssh/backoff.js';
import { ChannelLimiter } from '../src/ssh/channel-limiter.js';
import { HealthCheck, MAX_INCONCLUSIVE_CHECKS } from '../src/ssh/health-check.js';
import { fingerprintOf, hostKeyMatches, parseHostKeyPin } from '../src/ssh/host-key.js';
import type { SshSession } from '../src/ssh/session.js';

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

describe('health check judgement', () => {
  /** Runs checks whose command always fails, optionally stalling the event loop first; resolves on degradation. */
  function failingChecks(stallMs: number): Promise<{ checks: number; reason: string }> {
    let checks = 0;
    const session = {
      exec: () => {
        checks++;
        const until = Date.now() + stallMs;
        while (Date.now() < until); // the process, not the RDS, stands still
        return Promise.reject(new RdsCsiError('UNAVAILABLE', 'RDS health-check timed out'));
      },
    };
    return new Promise((resolve) => {
      const check = new HealthCheck(
        // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the check uses exec() only.
        session as unknown as SshSession,
        { intervalMs: 5, timeoutMs: 200, failuresBeforeDegraded: 2 },
        (reason) => resolve({ checks, reason }),
      );
      check.start();
    });
  }

  it('counts failures of a responsive process at once', async () => {
    const { checks, reason } = await failingChecks(0);
    assert.equal(checks, 2);
    assert.match(reason, /failed 2 times in a row/);
  });

  it('does not count failures while its own event loop stalled, up to a bound', async () => {
    const { checks } = await failingChecks(300);
    assert.equal(checks, MAX_INCONCLUSIVE_CHECKS + 2, 'inconclusive checks are retried, then failures count');
  });
});
