import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RdsCsiError } from '@rds-csi/contracts';
import { busConfigFromEnv, connectionOptions, parseBusConfig } from '../src/index.js';

describe('bus configuration', () => {
  it('gives each service its own reply inbox, unless one is set', () => {
    assert.equal(
      connectionOptions(parseBusConfig({ servers: ['nats://a:4222'], name: 'csi-gateway' })).inboxPrefix,
      '_INBOX_csi-gateway',
    );
    assert.equal(
      connectionOptions(parseBusConfig({ servers: ['nats://a:4222'], name: 'cli', inboxPrefix: '_INBOX' }))
        .inboxPrefix,
      '_INBOX',
    );
  });

  it('reads servers, credentials and replicas from the environment', () => {
    const config = busConfigFromEnv(
      {
        NATS_URL: 'nats://a:4222, nats://b:4222',
        NATS_CREDS_FILE: '/secrets/creds',
        NATS_REPLICAS: '3',
        RDSCSI_SUBJECT_PREFIX: 'team',
      },
      'reconciler',
    );
    assert.deepEqual(config.servers, ['nats://a:4222', 'nats://b:4222']);
    assert.equal(config.credsFile, '/secrets/creds');
    assert.equal(config.replicas, 3);
    assert.equal(config.prefix, 'team');
    const options = connectionOptions(config);
    assert.equal(options.maxReconnectAttempts, -1, 'reconnects forever');
    assert.ok((options.reconnectJitter ?? 0) > 0, 'with jitter');
  });

  it('refuses bad settings with INVALID_ARGUMENT', () => {
    for (const env of [{ NATS_REPLICAS: 'three' }, { NATS_REPLICAS: '7' }, { NATS_URL: ' , ' }]) {
      assert.throws(
        () => busConfigFromEnv(env, 'x'),
        (e: unknown) => e instanceof RdsCsiError && e.code === 'INVALID_ARGUMENT',
        JSON.stringify(env),
      );
    }
  });
});
