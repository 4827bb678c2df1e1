import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  RdsCsiError,
  VolumeCreateRequest,
  decodeMessage,
  decodeReply,
  decodeRequest,
  encodeError,
  encodeResult,
  endpoints,
  names,
  NodeEvent,
  GRPC_STATUS,
  DEADLINE_HEADER,
  TIMEOUT_HEADER,
  deadlineFromHeaders,
  deadlineHeaders,
} from '../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('names', () => {
  it('derives every subject and store name from the prefix', () => {
    const n = names('rdscsi');
    assert.equal(n.subject(endpoints.volumeCreate.path), 'rdscsi.rds.volume.create');
    assert.equal(
      n.nodeEvent('deleted', 'node-1.example.com'),
      'rdscsi.nodes.event.deleted.node-1_example_com',
    );
    assert.equal(n.attachmentsBucket, 'rdscsi_attachments');
    assert.equal(names('team-b').nodeEventsStream, 'TEAM_B_NODE_EVENTS');
  });

  it('rejects prefixes that would break subjects', () => {
    for (const bad of ['', 'a.b', 'a b', '>', 'A', 'x*']) assert.throws(() => names(bad), /prefix/);
  });

  it('gives each endpoint a unique subject', () => {
    const paths = Object.values(endpoints).map((e) => e.path);
    assert.equal(new Set(paths).size, paths.length);
  });
});

describe('envelope', () => {
  it('accepts a request with or without a schema version and strips unknown fields', () => {
    const body = { id: 'pvc-a', sizeBytes: 10, extra: true };
    assert.deepEqual(decodeRequest(VolumeCreateRequest, enc(JSON.stringify(body))), {
      id: 'pvc-a',
      sizeBytes: 10,
    });
    assert.deepEqual(decodeRequest(VolumeCreateRequest, enc(JSON.stringify({ v: 1, ...body }))), {
      id: 'pvc-a',
      sizeBytes: 10,
    });
  });

  const malformed: [string, string][] = [
    ['not json', 'not valid JSON'],
    ['null', 'JSON object'],
    ['[1]', 'JSON object'],
    ['{"v":2,"id":"pvc-a","sizeBytes":1}', 'schema version'],
    ['{"id":"PVC-A","sizeBytes":1}', 'id'],
    ['{"id":"pvc-a; /system reboot","sizeBytes":1}', 'id'],
    ['{"id":"pvc-a","sizeBytes":-1}', 'sizeBytes'],
    ['{"id":"pvc-a","sizeBytes":1.5}', 'sizeBytes'],
    ['{"id":"pvc-a","sizeBytes":1,"source":{"type":"volume","id":"../x"}}', 'source'],
  ];
  for (const [raw, mention] of malformed) {
    it(`rejects ${raw} with INVALID_ARGUMENT`, () => {
      assert.throws(
        () => decodeRequest(VolumeCreateRequest, enc(raw)),
        (err: unknown) =>
          err instanceof RdsCsiError && err.code === 'INVALID_ARGUMENT' && err.message.includes(mention),
      );
    });
  }

  it('round-trips results and errors', () => {
    assert.deepEqual(
      decodeReply(endpoints.capacity.response, encodeResult({ totalBytes: 10, freeBytes: 5 })),
      {
        totalBytes: 10,
        freeBytes: 5,
      },
    );
    assert.throws(
      () =>
        decodeReply(endpoints.capacity.response, encodeError(new RdsCsiError('RESOURCE_EXHAUSTED', 'full'))),
      (err: unknown) =>
        err instanceof RdsCsiError && err.code === 'RESOURCE_EXHAUSTED' && err.message === 'full',
    );
  });

  it('treats a malformed reply as INTERNAL and an unknown remote code as UNKNOWN', () => {
    assert.throws(
      () => decodeReply(endpoints.capacity.response, enc('{"v":1,"result":{"totalBytes":"x"}}')),
      /malformed reply/,
    );
    assert.throws(
      () => decodeReply(endpoints.capacity.response, enc('{"v":1,"error":{"code":"BOGUS","message":"m"}}')),
      (err: unknown) => err instanceof RdsCsiError && err.code === 'UNKNOWN',
    );
  });

  it('validates published messages without throwing', () => {
    assert.equal(
      decodeMessage(NodeEvent, enc('{"v":1,"kind":"exploded","node":"a","at":"2026-01-01T00:00:00Z"}')).ok,
      false,
    );
    assert.equal(
      decodeMessage(NodeEvent, enc('{"v":1,"kind":"deleted","node":"a","at":"2026-01-01T00:00:00Z"}')).ok,
      true,
    );
  });

  it('maps code names to gRPC status numbers', () => {
    assert.equal(GRPC_STATUS.NOT_FOUND, 5);
    assert.equal(new RdsCsiError('UNAVAILABLE', 'x').grpcStatus, 14);
  });
});

describe('deadline headers', () => {
  const read = (headers: Record<string, string>) => (name: string) => headers[name];

  it('send the remaining budget, so a receiver whose clock is skewed keeps the same budget', () => {
    const headers = deadlineHeaders(6_000, 1_000);
    assert.equal(headers[TIMEOUT_HEADER], '5000');
    assert.equal(deadlineFromHeaders(read(headers), 1_000_000, 30_000), 1_005_000);
  });

  it('accept the absolute deadline of an older sender, and fall back to the default without either', () => {
    assert.equal(deadlineFromHeaders(read({ [DEADLINE_HEADER]: '6000' }), 1_000, 30_000), 6_000);
    assert.equal(deadlineFromHeaders(read({}), 1_000, 30_000), 31_000);
    assert.equal(deadlineFromHeaders(read({ [TIMEOUT_HEADER]: 'soon' }), 1_000, 30_000), 31_000);
  });
});
