import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { rejectionOf, waitFor } from '@rds-csi/testkit';
import { mountCapability, pvName, startHarness } from './support/harness.js';

const ready = async (
  probe: () => Promise<{ ready: { value: boolean } | null }>,
  expected: boolean,
): Promise<boolean> => (await probe()).ready?.value === expected;

test('RDS down: Probe reports not ready and RPCs fail UNAVAILABLE at once; back: ready again', async (t) => {
  const h = await startHarness(t);
  const probe = () => h.client.identity.Probe({});
  assert.deepEqual(await probe(), { ready: { value: true } });
  await h.client.controller.CreateVolume({ name: pvName(1), volume_capabilities: [mountCapability()] });

  h.connector.setRdsConnected(false);
  await waitFor(() => ready(probe, false), { message: 'Probe not ready while the RDS is down' });
  // The deadline is generous; UNAVAILABLE must come from the connector's fast failure, not from a timeout.
  const deadline = Date.now() + 60_000;
  const failures = [
    await rejectionOf(() =>
      h.client.controller.CreateVolume(
        { name: pvName(2), volume_capabilities: [mountCapability()] },
        { deadline },
      ),
    ),
    await rejectionOf(() => h.client.controller.DeleteVolume({ volume_id: pvName(1) }, { deadline })),
  ];
  for (const failure of failures) {
    assert.equal(failure.code, status.UNAVAILABLE);
    assert.match(
      (failure as { details?: string }).details ?? '',
      /RDS is not connected/,
      'failed fast, not by waiting',
    );
  }

  h.connector.setRdsConnected(true);
  await waitFor(() => ready(probe, true), { message: 'Probe ready again' });
  assert.deepEqual(await h.client.controller.DeleteVolume({ volume_id: pvName(1) }), {});
});

test('a connector that falls silent makes the state stale: not ready until it speaks again', async (t) => {
  const h = await startHarness(t);
  const probe = () => h.client.identity.Probe({});
  await waitFor(() => ready(probe, true));
  h.connector.setHeartbeat(false);
  await waitFor(() => ready(probe, false), { message: 'Probe not ready once heartbeats stop' });
  h.connector.setHeartbeat(true);
  await waitFor(() => ready(probe, true), { message: 'Probe ready with heartbeats back' });
});

test('NATS down: Probe not ready and RPCs UNAVAILABLE without waiting; NATS back: ready', async (t) => {
  const h = await startHarness(t);
  const probe = () => h.client.identity.Probe({});
  await waitFor(() => ready(probe, true));
  await h.nats.stop();
  await waitFor(() => ready(probe, false), { message: 'Probe not ready without NATS' });
  const failure = await rejectionOf(() =>
    h.client.controller.CreateVolume(
      { name: pvName(3), volume_capabilities: [mountCapability()] },
      { deadline: Date.now() + 60_000 },
    ),
  );
  assert.equal(failure.code, status.UNAVAILABLE);
  assert.match(
    (failure as { details?: string }).details ?? '',
    /NATS is not connected/,
    'failed fast, not by waiting',
  );
  await h.nats.start();
  await waitFor(() => ready(probe, true), { timeoutMs: 30_000, message: 'Probe ready after NATS returns' });
  await h.client.controller.CreateVolume({ name: pvName(3), volume_capabilities: [mountCapability()] });
});
