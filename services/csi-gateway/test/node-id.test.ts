import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '@rds-csi/observability';
import { MAX_NODE_ID_BYTES, encodeNodeId, parseNodeId } from '../src/node-id.js';
import { readHostNqn } from '../src/node/host-nqn.js';

const NQN = 'nqn.2014-08.org.nvmexpress:uuid:f0cae56f-857b-44f1-9154-ea8621cd7145';

describe('CSI node ID', () => {
  it('carries the host NQN after the node name and parses back', () => {
    const id = encodeNodeId({ nodeName: 'worker-1.rack-2', hostNqn: NQN });
    assert.equal(id, `worker-1.rack-2@${NQN}`);
    assert.deepEqual(parseNodeId(id), { nodeName: 'worker-1.rack-2', hostNqn: NQN });
  });

  it('is the plain node name without a host NQN, and plain (Go driver) node IDs parse without one', () => {
    assert.equal(encodeNodeId({ nodeName: 'worker-1' }), 'worker-1');
    assert.deepEqual(parseNodeId('worker-1'), { nodeName: 'worker-1' });
  });

  it(`falls back to the plain node name when the pair would exceed ${MAX_NODE_ID_BYTES} bytes`, () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}`;
    assert.equal(encodeNodeId({ nodeName: long, hostNqn: NQN }), long);
    assert.ok(Buffer.byteLength(encodeNodeId({ nodeName: 'w', hostNqn: NQN })) <= MAX_NODE_ID_BYTES);
  });

  const bad = [
    '',
    'Worker-1',
    'worker-1@',
    '@' + NQN,
    `worker-1@${NQN}@x`,
    `worker-1@${NQN},nqn.2014-08.org.nvmexpress:uuid:x`,
    'worker-1@not-an-nqn',
    `worker-1@${NQN}; /system reboot`,
    `${'a'.repeat(63)}.${'b'.repeat(63)}@${NQN}`,
  ];
  for (const id of bad) {
    it(`refuses ${JSON.stringify(id.slice(0, 60))}`, () => assert.equal(parseNodeId(id), undefined));
  }
});

describe('host NQN file', () => {
  it('reads nvme-cli’s file, and reports none when it is missing or malformed', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'rdscsi-hostnqn-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'hostnqn');
    await writeFile(file, `${NQN}\n`);
    assert.equal(await readHostNqn(file, silentLogger()), NQN);
    await writeFile(file, 'nqn.bad value\n');
    assert.equal(await readHostNqn(file, silentLogger()), undefined);
    assert.equal(await readHostNqn(join(dir, 'missing'), silentLogger()), undefined);
  });
});
