/**
 * A real Prometheus (Debian's package) scrapes the local stack (scripts/local-stack.ts: every service its own process)
 * with deploy/monitoring's rules loaded. After a volume is created, published, refused to a second node and its node
 * deleted, every dashboard query is valid and returns series, every alert expression is valid and reads metrics the
 * services export, none of them is true on the healthy stack, and an RDS outage makes RdsCsiRdsUnreachable's true.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@rds-csi/testkit';
import { GiB, createVolume, fsCapability, grpcCode, publish } from '../src/volumes.js';
import {
  METRICS_PORTS,
  startLocalStack,
  type LocalService,
  type LocalStack,
} from '../../scripts/local-stack.js';
import {
  OPERATIONS_DOC,
  RULES_FILE,
  alertRules,
  dashboardQueries,
  prometheusBinary,
} from './support/monitoring.js';

/** Metrics only the node plugin exports; the local stack runs the controller gateway only. */
const NODE_PLUGIN_ONLY = new Set(['rdscsi_node_volume_breakers_open']);

interface QueryReply {
  status: 'success' | 'error';
  error?: string;
  data?: { result: { metric: Record<string, string> }[] };
}

describe('dashboards and alerts against a real Prometheus scraping the local stack', () => {
  let dir: string;
  let stack: LocalStack;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  const ports = {} as Record<LocalService, number>;

  const query = async (expr: string): Promise<{ metric: Record<string, string> }[]> => {
    const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const reply = (await res.json()) as QueryReply;
    if (reply.status !== 'success') throw new Error(`${expr}: ${reply.error}`);
    return reply.data?.result ?? [];
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdscsi-monitoring-'));
    for (const service of Object.keys(METRICS_PORTS) as LocalService[]) ports[service] = await freePort();
    stack = await startLocalStack({ nodes: ['node-a', 'node-b'], dir, metricsPorts: ports, showLogs: false });
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const config = join(dir, 'prometheus.yml');
    await writeFile(
      config,
      JSON.stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [RULES_FILE],
        scrape_configs: [
          {
            job_name: 'rds-csi',
            static_configs: [{ targets: Object.values(ports).map((p) => `127.0.0.1:${p}`) }],
          },
        ],
      }),
    );
    const child = spawn(
      prometheusBinary('prometheus'),
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    child.on('error', () => undefined);
    prometheus = child;
    await waitFor(async () => (await query('up == 1')).length === 4, {
      timeoutMs: 60_000,
      message: 'targets up',
    });

    // The incident story in small: a volume published, refused to a second node (the fence), its node deleted.
    const volume = await createVolume(stack.csi, GiB, fsCapability());
    await waitFor(() => publish(stack.csi, volume, 'node-a', fsCapability()), { timeoutMs: 60_000 });
    assert.equal(
      await grpcCode(publish(stack.csi, volume, 'node-b', fsCapability())),
      9 /* FAILED_PRECONDITION */,
    );
    stack.kube.deleteNode('node-a');
  });

  after(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('every dashboard query is valid and returns series', async () => {
    for (const { where, expr } of dashboardQueries())
      await waitFor(async () => (await query(expr)).length > 0, { timeoutMs: 60_000, message: where });
  });

  it('every alert expression is valid, reads exported metrics, and is false on the healthy stack', async () => {
    for (const rule of alertRules()) {
      assert.deepEqual(await query(rule.expr), [], `${rule.alert} is true on the healthy stack`);
      const metrics = new Set(rule.expr.match(/\b(rdscsi_\w+|up)\b(?=\s*[{[)]|\s*[<>=])/g) ?? []);
      assert.ok(metrics.size > 0, rule.alert);
      for (const metric of metrics) {
        if (NODE_PLUGIN_ONLY.has(metric)) continue;
        assert.ok((await query(`count(${metric})`)).length > 0, `${rule.alert}: no ${metric} in the scrape`);
      }
    }
  });

  it('every metric a scrape shows is documented in operations.md', async () => {
    const documented = readFileSync(OPERATIONS_DOC, 'utf8');
    const missing: string[] = [];
    for (const [service, port] of Object.entries(ports)) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      for (const [, name] of text.matchAll(/^# TYPE (rdscsi_\w+) /gm)) {
        // Process metrics come from prom-client's defaults, documented as rdscsi_process_* and rdscsi_nodejs_*.
        if (/^rdscsi_(process|nodejs)_/.test(name!)) continue;
        if (!documented.includes(`\`${name}`)) missing.push(`${service}: ${name}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('an RDS outage makes the RDS alert expression true', async () => {
    const rule = alertRules().find((r) => r.alert === 'RdsCsiRdsUnreachable');
    assert.ok(rule);
    await stack.sim.stop();
    await waitFor(async () => (await query(rule.expr)).length > 0, { timeoutMs: 60_000, message: rule.expr });
  });
});
