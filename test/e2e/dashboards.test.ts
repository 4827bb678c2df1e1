/**
 * deploy/monitoring/dashboards: each file is a dashboard in Grafana's dashboard JSON model (the fields and types
 * Grafana reads on import or provisioning), every panel queries the `${DS_PROMETHEUS}` datasource input, and the
 * kustomization ships every dashboard in a ConfigMap the Grafana sidecar picks up. That each query is valid PromQL
 * returning series is monitoring-stack.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { MONITORING_DIR, dashboards, type DashboardPanel } from './support/monitoring.js';

const DATASOURCE = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };
/** Grafana's built-in panel plugins this project uses. */
const PANEL_TYPES = new Set(['timeseries', 'stat', 'gauge', 'table', 'bargauge', 'text']);
const GRID_COLUMNS = 24;

interface Generator {
  name: string;
  files: string[];
  options?: { labels?: Record<string, string>; disableNameSuffixHash?: boolean };
}

function assertPanel(where: string, panel: DashboardPanel): void {
  assert.ok(Number.isInteger(panel.id) && panel.id > 0, `${where}: id`);
  assert.ok(PANEL_TYPES.has(panel.type), `${where}: panel type ${panel.type}`);
  assert.ok(typeof panel.title === 'string' && panel.title.length > 0, `${where}: title`);
  const { h, w, x, y } = panel.gridPos;
  for (const n of [h, w, x, y]) assert.ok(Number.isInteger(n) && n >= 0, `${where}: gridPos`);
  assert.ok(w > 0 && h > 0 && x + w <= GRID_COLUMNS, `${where}: gridPos within ${GRID_COLUMNS} columns`);
  assert.deepEqual(panel.datasource, DATASOURCE, `${where}: datasource`);
  const targets = panel.targets ?? [];
  assert.ok(targets.length > 0, `${where}: no query`);
  assert.equal(new Set(targets.map((t) => t.refId)).size, targets.length, `${where}: refIds unique`);
  for (const target of targets) {
    assert.match(target.refId, /^[A-Z]$/, `${where}: refId`);
    assert.ok(typeof target.expr === 'string' && target.expr.includes('rdscsi_'), `${where}: expr`);
    assert.deepEqual(target.datasource, DATASOURCE, `${where} ${target.refId}: datasource`);
  }
}

describe('Grafana dashboards (deploy/monitoring/dashboards)', () => {
  const all = dashboards();

  it('each dashboard has the top-level fields of Grafana’s dashboard model, unique uids and titles', () => {
    assert.ok(all.length >= 2);
    for (const { file, dashboard: d } of all) {
      assert.match(d.uid, /^[a-z0-9-]{1,40}$/, `${file}: uid`);
      assert.ok(typeof d.title === 'string' && d.title.length > 0, `${file}: title`);
      assert.ok(Number.isInteger(d.schemaVersion) && d.schemaVersion >= 36, `${file}: schemaVersion`);
      assert.ok(Number.isInteger(d.version), `${file}: version`);
      assert.ok(
        Array.isArray(d.tags) && (d.tags as unknown[]).every((t) => typeof t === 'string'),
        `${file}: tags`,
      );
      const time = d.time as { from?: unknown; to?: unknown };
      assert.ok(typeof time.from === 'string' && typeof time.to === 'string', `${file}: time`);
      assert.ok(Array.isArray((d.annotations as { list?: unknown }).list), `${file}: annotations.list`);
      assert.ok(Array.isArray(d.panels) && d.panels.length > 0, `${file}: panels`);
    }
    assert.equal(new Set(all.map((d) => d.dashboard.uid)).size, all.length);
    assert.equal(new Set(all.map((d) => d.dashboard.title)).size, all.length);
  });

  it('declares the DS_PROMETHEUS input for import and a datasource variable of that name for provisioning', () => {
    for (const { file, dashboard: d } of all) {
      assert.deepEqual(
        (d.__inputs as { name: string; type: string; pluginId: string }[]).map(
          ({ name, type, pluginId }) => ({
            name,
            type,
            pluginId,
          }),
        ),
        [{ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }],
        file,
      );
      const variables = (d.templating as { list: { name: string; type: string; query: string }[] }).list;
      assert.ok(
        variables.some(
          (v) => v.name === 'DS_PROMETHEUS' && v.type === 'datasource' && v.query === 'prometheus',
        ),
        `${file}: datasource variable`,
      );
    }
  });

  it('every panel has a unique id, a known type, a place on the grid and Prometheus queries', () => {
    for (const { file, dashboard: d } of all) {
      assert.equal(new Set(d.panels.map((p) => p.id)).size, d.panels.length, `${file}: panel ids unique`);
      for (const panel of d.panels) assertPanel(`${file}: ${panel.title}`, panel);
    }
  });

  it('the overview tells the incident story', () => {
    const overview = all.find((d) => d.dashboard.uid === 'rds-csi-overview')?.dashboard;
    assert.ok(overview);
    const exprs = overview.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    for (const metric of [
      'rdscsi_rds_connection_state',
      'rdscsi_rds_reconnect_attempts_total',
      'method="Probe"',
      'rdscsi_reconciler_attachments',
      'rdscsi_reconciler_stale_cleared_total',
      'rdscsi_reconciler_event_to_clearance_seconds_bucket',
      'rdscsi_reconciler_passes_total',
    ])
      assert.ok(exprs.includes(metric), `overview lacks ${metric}`);
  });

  it('the kustomization ships every dashboard in a ConfigMap labelled for the Grafana sidecar', () => {
    const kustomization = load(readFileSync(join(MONITORING_DIR, 'kustomization.yaml'), 'utf8')) as {
      configMapGenerator: Generator[];
    };
    const generator = kustomization.configMapGenerator.find((g) => g.name === 'rds-csi-dashboards');
    assert.ok(generator);
    assert.equal(generator.options?.labels?.grafana_dashboard, '1');
    assert.equal(generator.options?.disableNameSuffixHash, true);
    assert.deepEqual(
      [...generator.files].sort(),
      all.map((d) => `dashboards/${d.file}`),
    );
  });
});
