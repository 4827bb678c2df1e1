import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { baseDelayMs, JITTER_MAX, JITTER_MIN } from '@rds-csi/bus';
import type { ConnectionState } from '@rds-csi/contracts';
import type { LinkFault } from '@rds-csi/rds-simulator';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { LinkTimeoutError } from '../src/ssh/errors.js';
import { HEALTH_COMMAND, degradedBoundMs } from '../src/ssh/health-check.js';
import { startFixture, type ConnectorFixture } from './support.js';

const BACKOFF = { minMs: 100, maxMs: 800 };
const HEALTH = { healthCheckIntervalMs: 200, healthCheckTimeoutMs: 200, healthCheckFailures: 2 };
const HEALTHY_RESET_MS = 1_000;

interface Attempt {
  attempt: number;
  delayMs: number;
}

/** The jittered delay before attempt `n` must lie in the schedule's window (0 for the first after a healthy link). */
function assertOnSchedule(attempts: Attempt[]): void {
  for (const { attempt, delayMs } of attempts) {
    if (attempt === 1) {
      assert.equal(delayMs, 0, 'the first attempt after a healthy link does not wait');
      continue;
    }
    const base = baseDelayMs(attempt - 1, BACKOFF);
    assert.ok(
      delayMs >= Math.floor(base * (1 + JITTER_MIN)) && delayMs <= Math.ceil(base * (1 + JITTER_MAX)),
      `attempt ${attempt} waited ${delayMs} ms, outside ${base} ms + 10-30 %`,
    );
  }
  for (let i = 1; i < attempts.length; i++) {
    assert.equal(attempts[i]?.attempt, (attempts[i - 1]?.attempt ?? 0) + 1, 'attempts count on, never reset');
  }
}

/** Gaps between consecutive timestamps. */
function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - (times[i] ?? t));
}

describe('rds-connector against a hostile RDS link', () => {
  let f: ConnectorFixture;
  const uncaught: unknown[] = [];
  const attempts: Attempt[] = [];
  const recordUncaught = (err: unknown): void => void uncaught.push(err);

  before(async () => {
    process.on('uncaughtException', recordUncaught);
    process.on('unhandledRejection', recordUncaught);
    f = await startFixture({
      rds: { ...HEALTH, healthyResetMs: HEALTHY_RESET_MS, connectTimeoutMs: 1_000 },
      backoff: BACKOFF,
    });
    f.connector.connection.on('attempt', (a) => attempts.push(a));
  });
  after(async () => {
    await f.dispose();
    process.off('uncaughtException', recordUncaught);
    process.off('unhandledRejection', recordUncaught);
  });
  beforeEach(async () => {
    await waitFor(() => f.connector.connection.isConnected, { message: 'connected before the test' });
  });
  afterEach(async () => {
    f.sim.linkFaults.set(undefined);
    f.sim.faults.clear();
    await waitFor(() => f.connector.connection.isConnected, { message: 'recovered after the fault' });
    assert.deepEqual(uncaught, [], 'no unhandled error or rejection reached the process');
  });

  /** Switches `fault` on, drops the current connection, and returns the attempts made until `count` more happened. */
  async function storm(
    fault: LinkFault,
    count: number,
  ): Promise<{ attempts: Attempt[]; accepted: number[] }> {
    const firstAttempt = attempts.length;
    const firstAccept = f.sim.linkFaults.acceptedAt.length;
    f.sim.linkFaults.set(fault);
    await f.sim.faults.dropConnections();
    await waitFor(() => attempts.length - firstAttempt >= count, {
      message: `${count} attempts under ${fault}`,
    });
    return {
      attempts: attempts.slice(firstAttempt),
      accepted: f.sim.linkFaults.acceptedAt.slice(firstAccept),
    };
  }

  async function recovers(): Promise<void> {
    f.sim.linkFaults.set(undefined);
    f.sim.faults.clear();
    await waitFor(() => f.connector.connection.isConnected, { message: 'connected again' });
    const output = await f.connector.connection.exec(HEALTH_COMMAND, Date.now() + 5_000, 5_000);
    assert.match(output.stdout, /name:/);
  }

  it('finding 1: survives TCP resets before the banner (ssh2 errors twice) and keeps retrying', async () => {
    const { attempts: made } = await storm('reset-before-banner', 4);
    assertOnSchedule(made);
    await recovers();
  });

  for (const fault of ['banner-then-fin', 'banner-then-rst'] as const) {
    it(`finding 2: retries on schedule when the server sends its banner and then closes (${fault})`, async () => {
      const { attempts: made, accepted } = await storm(fault, 4);
      assertOnSchedule(made);
      assert.ok(accepted.length >= 3, 'every attempt reached the server');
      await recovers();
    });
  }

  it('finding 3: backs off across connections that log in and drop at once (no storm)', async () => {
    const firstLogin = f.sim.linkFaults.loginAt.length;
    const { attempts: made } = await storm('close-after-login', 5);
    assertOnSchedule(made);
    const logins = f.sim.linkFaults.loginAt.slice(firstLogin);
    // Each login was dropped at once, so each next one waited at least the schedule's un-jittered delay.
    for (const [i, gap] of gaps(logins).entries()) {
      const attempt = made[i + 1]?.attempt ?? 1;
      assert.ok(gap >= baseDelayMs(Math.max(1, attempt - 1), BACKOFF), `login gap ${gap} ms below schedule`);
    }
    await recovers();
  });

  it('finding 3: an accept-then-drop storm follows the schedule, and a healthy link resets it', async () => {
    const { attempts: made, accepted } = await storm('drop-after-accept', 5);
    assertOnSchedule(made);
    for (const [i, gap] of gaps(accepted).entries()) {
      assert.ok(gap >= (made[i + 1]?.delayMs ?? 0) - 1, `attempt gap ${gap} ms shorter than its backoff`);
    }
    await recovers();
    await new Promise<void>((resolve) => f.connector.connection.once('healthy', resolve));
    const before = attempts.length;
    await f.sim.faults.dropConnections();
    await waitFor(() => attempts.length > before);
    assert.deepEqual(attempts[before], { attempt: 1, delayMs: 0 }, 'after a healthy link: reconnect at once');
  });

  it('finding 4: a hang (connected, execs never answer) makes the state and /readyz say not connected', async (t) => {
    const connection = f.connector.connection;
    let healthChecksWhenDegraded: number | undefined;
    const healthChecksBefore = f.sim.identityQueries;
    const started = Date.now();
    const degraded = new Promise<ConnectionState>((resolve) => {
      const listener = (state: ConnectionState): void => {
        if (state.state === 'connected') return;
        healthChecksWhenDegraded = f.sim.identityQueries - healthChecksBefore;
        connection.off('state', listener);
        resolve(state);
      };
      connection.on('state', listener);
    });
    f.sim.faults.setHang(true);
    const state = await degraded;
    const elapsed = Date.now() - started;
    t.diagnostic(`hang to not-connected: ${elapsed} ms (bound ${degradedBoundMs(toHealthOptions())} ms)`);
    assert.equal(
      healthChecksWhenDegraded,
      HEALTH.healthCheckFailures,
      'degraded after exactly N failed checks',
    );
    assert.match(state.lastError ?? '', /health check/);
    const broadcast = await waitFor(() =>
      f.states.find((s) => Date.parse(s.at) >= started && s.state !== 'connected'),
    );
    assert.ok(broadcast.lastError, 'the broadcast says why');
    // While the hang lasts, a fresh login is not "connected": its first command must answer first.
    const readyz = await fetch(`http://127.0.0.1:${f.connector.healthPort}/readyz`);
    assert.equal(readyz.status, 503);
    assert.equal(connection.isConnected, false);
    await recovers();
  });

  it('finding 4: channels count from the moment they are requested, and return to 0', async () => {
    f.sim.faults.setHang(true);
    const connection = f.connector.connection;
    const inFlight = [1, 2, 3].map(() =>
      rejectionOf(() => connection.exec('/disk print', Date.now() + 10_000, 10_000)),
    );
    await waitFor(() => connection.openChannels >= 3, { message: 'three unanswered channels counted' });
    const gauge = await f.connector.registry.getSingleMetric('rdscsi_rds_ssh_open_channels')?.get();
    assert.ok((gauge?.values[0]?.value ?? 0) >= 3, 'the gauge shows the unanswered channels');
    for (const err of await Promise.all(inFlight)) assert.equal(err.code, 'UNAVAILABLE');
    await recovers();
    await waitFor(() => connection.openChannels === 0, { message: 'channels back to 0' });
  });

  it('finding 5: timeouts are typed errors with a phase and a code, not recognised by message text', async () => {
    f.sim.faults.setHang(true);
    const err = await rejectionOf(() => f.connector.connection.exec('/disk print', Date.now() + 150, 150));
    assert.ok(err instanceof LinkTimeoutError);
    assert.equal(err.phase, 'command');
    assert.equal(err.code, 'UNAVAILABLE');
    await recovers();
  });

  it('finding 5: an attempt that throws inside ssh2 (unusable key) is retried forever on schedule', async () => {
    const broken = await startFixture({
      rds: { ...HEALTH, privateKey: Buffer.from('not a key'), connectTimeoutMs: 1_000 },
      backoff: BACKOFF,
    });
    try {
      const made: Attempt[] = [];
      broken.connector.connection.on('attempt', (a) => made.push(a));
      await waitFor(() => made.length >= 4, { message: 'four attempts with a broken key' });
      assertOnSchedule(made);
      assert.equal(broken.connector.connection.isConnected, false);
      assert.match(broken.connector.connection.state.lastError ?? '', /SSH/);
    } finally {
      await broken.dispose();
    }
  });
});

function toHealthOptions() {
  return {
    intervalMs: HEALTH.healthCheckIntervalMs,
    timeoutMs: HEALTH.healthCheckTimeoutMs,
    failuresBeforeDegraded: HEALTH.healthCheckFailures,
  };
}
