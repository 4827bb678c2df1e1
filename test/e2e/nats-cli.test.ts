/**
 * What operators do with the `nats` CLI, through NATS's own client libraries (the CLI is not packaged for Debian):
 * service discovery with the official services client (@nats-io/services) sees every service with its endpoints
 * and stats in the ADR-32 schema, and every `nats` command that README.md and docs/ print is replayed against the
 * running stack: requests with the subjects and bodies as printed, KV buckets and keys, the stream, the broadcast.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Svcm, type ServiceClient } from '@nats-io/services';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { E2eStack } from '../src/stack.js';
import { GiB, createVolume, fsCapability, publish } from '../src/volumes.js';

const REPO = join(import.meta.dirname, '..', '..');
const SERVICES = ['csi-gateway', 'node-watcher', 'rds-connector', 'reconciler'];
const PLACEHOLDER = 'pvc-...';

/** Every `nats ...` command README.md and docs/*.md print, in code spans or code blocks (comments dropped). */
function documentedCommands(): string[] {
  const files = [
    join(REPO, 'README.md'),
    ...readdirSync(join(REPO, 'docs')).map((f) => join(REPO, 'docs', f)),
  ];
  const commands = files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const spans = [...text.matchAll(/`(nats [^`]+)`/g)].map((m) => m[1]!);
    const lines = [...text.matchAll(/^(nats [^\n]*?)(\s+#.*)?$/gm)].map((m) => m[1]!);
    return [...spans, ...lines];
  });
  // `nats context add` stores the connection settings the replay has already; `nats req` alone names the tool.
  return [...new Set(commands.map((c) => c.trim()))].filter(
    (c) => !c.startsWith('nats context') && words(c).length >= 3,
  );
}

/** Splits a command line the way a shell does for these commands: words, and single-quoted strings. */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

async function collect<T>(items: Promise<AsyncIterable<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of await items) all.push(item);
  return all;
}

describe('the NATS CLI, through NATS client libraries', () => {
  let stack: E2eStack;
  let nc: NatsConnection;
  let services: ServiceClient;
  let volumeId: string;

  before(async () => {
    stack = await E2eStack.start();
    const csi = await stack.startAll();
    nc = stack.client.nc;
    services = new Svcm(nc as never).client();
    const volume = await createVolume(csi, GiB, fsCapability());
    volumeId = volume.volume_id;
    await publish(csi, volume, 'node-a', fsCapability());
  });
  after(() => stack?.dispose());

  /** Replays one CLI command; returns what it showed, or throws if the CLI would have failed. */
  async function replay(command: string): Promise<unknown> {
    const [tool, group, verb, ...rest] = words(command.replaceAll(PLACEHOLDER, volumeId));
    assert.equal(tool, 'nats');
    const reply = async (subject: string, body: string) => {
      const answer = (await nc.request(subject, body, { timeout: 10_000 })).json<Record<string, unknown>>();
      assert.equal(answer.v, 1, `${command}: schema version`);
      assert.ok('result' in answer || 'error' in answer, `${command}: reply envelope`);
      return answer;
    };
    const kv = (bucket: string) => new Kvm(nc).open(bucket);
    switch (`${group} ${verb}`) {
      case 'micro ls':
        return collect(services.ping());
      case 'micro info':
        return collect(services.info(rest[0]));
      case 'micro stats':
        return collect(services.stats(rest[0]));
      case `req ${verb}`:
        return reply(verb!, rest[0] ?? '');
      case `sub ${verb}`: {
        const sub = nc.subscribe(verb!, { max: 1, timeout: 10_000 });
        for await (const msg of sub) return msg.json();
        throw new Error(`${command}: nothing published`);
      }
      case 'kv ls':
        return rest[0] === undefined
          ? collect(Promise.resolve(new Kvm(nc).list()))
          : collect((await kv(rest[0])).keys());
      case 'kv get':
        return (await (await kv(rest[0]!)).get(rest[1]!))?.json();
      case 'kv history':
        return collect((await kv(rest[0]!)).history({ key: rest[1]! }));
      case 'kv del':
        return (await kv(rest[0]!)).delete(rest[1]!);
      case 'stream view': {
        const jsm = await jetstreamManager(nc);
        return (await jsm.streams.info(rest[0]!)).state;
      }
      default:
        throw new Error(`no replay for "${command}"`);
    }
  }

  it('service discovery sees every service with endpoints, stats and metadata in the io.nats.micro.v1 schema', async () => {
    const pings = await collect(services.ping());
    assert.deepEqual([...new Set(pings.map((p) => p.name))].sort(), SERVICES);
    for (const ping of pings) {
      assert.equal(ping.type, 'io.nats.micro.v1.ping_response');
      assert.match(ping.version, /^\d+\.\d+\.\d+/);
    }
    const infos = await collect(services.info());
    for (const info of infos) {
      assert.equal(info.type, 'io.nats.micro.v1.info_response', info.name);
      assert.ok(Array.isArray(info.endpoints), info.name);
      for (const endpoint of info.endpoints) assert.match(endpoint.subject, /^rdscsi\./, info.name);
      if (info.name !== 'csi-gateway') assert.ok(info.endpoints.length > 0, `${info.name} has no endpoints`);
    }
    const gateway = infos.find((i) => i.name === 'csi-gateway');
    assert.equal(gateway?.metadata?.mode, 'controller', 'gateway instances tell their mode');
    const stats = await collect(services.stats('reconciler'));
    assert.ok(stats.length > 0);
    for (const s of stats) {
      assert.equal(s.type, 'io.nats.micro.v1.stats_response');
      assert.ok(!Number.isNaN(Date.parse(s.started)));
      const publishes = s.endpoints?.find((e) => e.subject === 'rdscsi.attach.publish');
      assert.ok(publishes, 'stats per endpoint');
      for (const field of [
        'num_requests',
        'num_errors',
        'processing_time',
        'average_processing_time',
      ] as const)
        assert.equal(typeof publishes[field], 'number', field);
    }
    assert.ok(
      stats.some(
        (s) => (s.endpoints?.find((e) => e.subject === 'rdscsi.attach.publish')?.num_requests ?? 0) > 0,
      ),
      'the publish was counted',
    );
  });

  it('the RDS connection broadcast carries the schema version', async () => {
    const state = (await replay('nats sub rdscsi.rds.connection')) as Record<string, unknown>;
    assert.equal(state.v, 1);
    assert.equal(state.state, 'connected');
  });

  it('every nats command the docs print works as printed', async () => {
    const commands = documentedCommands();
    assert.ok(commands.length >= 15, `found ${commands.length} commands`);
    // The break-glass delete last: it removes the record the others read.
    const ordered = [
      ...commands.filter((c) => !c.includes(' del ')),
      ...commands.filter((c) => c.includes(' del ')),
    ];
    const shown = new Map<string, unknown>();
    for (const command of ordered) shown.set(command, await replay(command));
    const attachment = shown.get(`nats kv get rdscsi_attachments ${PLACEHOLDER}`) as { nodes?: unknown[] };
    assert.ok(attachment && Array.isArray(attachment.nodes), 'the attachment record of the published volume');
    const keys = shown.get('nats kv ls rdscsi_attachments') as string[];
    assert.ok(keys.includes(volumeId));
  });
});
