import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { REDACTED, createLogger, redactSecrets } from '../src/index.js';

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('test', {}, { write: (line: string) => destination.write(line) });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

test('a secret is redacted at any depth of a log record, and nothing else is', () => {
  const { logger, records } = capturingLogger();
  const config = { ssh: { host: 'rds', auth: { user: 'admin', password: 'hunter2' } } };
  logger.info({ config, list: [{ deeper: { nested: { token: 'abc' } } }] }, 'starting');
  const [record] = records();
  const text = JSON.stringify(record);
  assert.ok(!text.includes('hunter2') && !text.includes('abc'), text);
  assert.deepEqual(record?.config, { ssh: { host: 'rds', auth: { user: 'admin', password: REDACTED } } });
  assert.deepEqual(record?.list, [{ deeper: { nested: { token: REDACTED } } }]);
  assert.equal(record?.msg, 'starting');
});

test('redactSecrets leaves class instances to their serialisers and cuts cycles', () => {
  const error = new Error('boom');
  const cyclic: Record<string, unknown> = { seed: 'S' };
  cyclic.self = cyclic;
  const redacted = redactSecrets({ err: error, cyclic }) as { err: unknown; cyclic: Record<string, unknown> };
  assert.equal(redacted.err, error);
  assert.deepEqual(redacted.cyclic, { seed: REDACTED, self: '[Circular]' });
});
