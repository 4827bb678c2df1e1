/**
 * deploy/monitoring/'s alert rules: promtool accepts them, the PrometheusRule carries the same groups, every alert has
 * a summary, a description and a runbook that exists in docs/operations.md, and `promtool test rules` shows each
 * alert firing on its fault and staying quiet on the look-alike that is not one (a fencing refusal, a start-up
 * UNAVAILABLE, a short blip).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import {
  MONITORING_DIR,
  OPERATIONS_DOC,
  RULES_FILE,
  RUNBOOK_BASE,
  alertRules,
  headingAnchors,
  promtool,
  ruleGroups,
  type AlertRule,
  type RuleGroups,
} from './support/monitoring.js';

/** Input series in promtool's expanding notation, one sample per minute. */
type Series = Record<string, string>;
interface Case {
  series: Series;
  /** Minutes after the first sample. */
  at: number;
}
interface Scenario {
  firing: Case & { labels: Record<string, string>; value?: string };
  quiet: Case;
}

const absent = (service: string, other: string): Scenario => ({
  firing: {
    series: { [`rdscsi_process_start_time_seconds{service="${other}"}`]: '1x10' },
    at: 7,
    labels: { service },
  },
  quiet: {
    series: { [`rdscsi_process_start_time_seconds{service="${service}",instance="a"}`]: '1x10' },
    at: 7,
  },
});
const gauge = (metric: string, value: string): Scenario => ({
  firing: { series: { [`${metric}{service="reconciler"}`]: `0 ${value}` }, at: 1, labels: {}, value },
  quiet: { series: { [`${metric}{service="reconciler"}`]: '0 0' }, at: 1 },
});
const rpc = (method: string, code: string): string =>
  `rdscsi_csi_rpc_total{service="csi-gateway",csi_service="Controller",method="${method}",code="${code}"}`;

const scenarios: Record<string, Scenario> = {
  RdsCsiRdsUnreachable: {
    firing: { series: { 'rdscsi_rds_connection_state{state="connected"}': '1 1 0x6' }, at: 6, labels: {} },
    quiet: { series: { 'rdscsi_rds_connection_state{state="connected"}': '1 0 1x6' }, at: 6 },
  },
  RdsCsiConnectorAbsent: absent('rds-connector', 'reconciler'),
  RdsCsiGatewayAbsent: absent('csi-gateway', 'reconciler'),
  RdsCsiReconcilerAbsent: absent('reconciler', 'csi-gateway'),
  RdsCsiNodeWatcherAbsent: absent('node-watcher', 'reconciler'),
  RdsCsiTargetDown: {
    firing: {
      series: { 'up{job="rds-csi/rds-csi",instance="10.0.0.7:9813"}': '1 0x8' },
      at: 7,
      labels: { job: 'rds-csi/rds-csi', instance: '10.0.0.7:9813' },
    },
    quiet: {
      series: { 'up{job="rds-csi/rds-csi",instance="a"}': '1x8', 'up{job="other",instance="b"}': '0x8' },
      at: 7,
    },
  },
  RdsCsiNatsDisconnected: {
    firing: {
      series: { 'rdscsi_nats_connected{service="reconciler",instance="r1"}': '1 0x5' },
      at: 4,
      labels: { service: 'reconciler', instance: 'r1' },
    },
    // Not yet connected during start-up, then connected.
    quiet: { series: { 'rdscsi_nats_connected{service="reconciler",instance="r1"}': '0 1x5' }, at: 4 },
  },
  RdsCsiNodeCacheNotSynced: {
    firing: {
      series: { 'rdscsi_node_watcher_cache_synced{service="node-watcher"}': '0x8' },
      at: 6,
      labels: {},
    },
    quiet: { series: { 'rdscsi_node_watcher_cache_synced{service="node-watcher"}': '0 0 1x6' }, at: 6 },
  },
  RdsCsiCorruptAttachmentRecord: gauge('rdscsi_reconciler_corrupt_records', '1'),
  RdsCsiMigrationOverdue: gauge('rdscsi_reconciler_migrations_overdue', '1'),
  RdsCsiOrphanVolumes: gauge('rdscsi_reconciler_orphan_volumes', '2'),
  RdsCsiSshChannelLeak: {
    firing: {
      series: { 'rdscsi_rds_ssh_open_channels{service="rds-connector"}': '1x40' },
      at: 35,
      labels: { service: 'rds-connector' },
    },
    quiet: { series: { 'rdscsi_rds_ssh_open_channels{service="rds-connector"}': '1x15 0 1x20' }, at: 35 },
  },
  RdsCsiRpcErrors: {
    firing: {
      series: { [rpc('CreateVolume', 'INTERNAL')]: '0+1x20' },
      at: 16,
      labels: { csi_service: 'Controller', method: 'CreateVolume', code: 'INTERNAL' },
    },
    // Routine fencing refusals and outage UNAVAILABLEs, at a high rate, are not CSI errors.
    quiet: {
      series: {
        [rpc('ControllerPublishVolume', 'FAILED_PRECONDITION')]: '0+5x20',
        [rpc('CreateVolume', 'UNAVAILABLE')]: '0+5x20',
        [rpc('CreateVolume', 'OK')]: '0+5x20',
      },
      at: 16,
    },
  },
  RdsCsiRpcUnavailable: {
    firing: {
      series: { [rpc('CreateVolume', 'UNAVAILABLE')]: '0+1x30' },
      at: 25,
      labels: { csi_service: 'Controller', method: 'CreateVolume' },
    },
    // Five minutes of UNAVAILABLE while the stack starts, then none.
    quiet: { series: { [rpc('CreateVolume', 'UNAVAILABLE')]: '0+1x5 5x25' }, at: 25 },
  },
  RdsCsiVolumeBreakerOpen: {
    firing: {
      series: { 'rdscsi_node_volume_breakers_open{service="csi-gateway",instance="n1"}': '0 1' },
      at: 1,
      labels: { instance: 'n1' },
      value: '1',
    },
    quiet: {
      series: { 'rdscsi_node_volume_breakers_open{service="csi-gateway",instance="n1"}': '0 0' },
      at: 1,
    },
  },
  RdsCsiReconcilePassFailing: {
    firing: {
      series: { 'rdscsi_reconciler_passes_total{trigger="periodic",outcome="failed"}': '0 0 1 1' },
      at: 3,
      labels: {},
    },
    quiet: {
      series: {
        'rdscsi_reconciler_passes_total{trigger="periodic",outcome="ok"}': '0 1 2 3',
        'rdscsi_reconciler_passes_total{trigger="periodic",outcome="failed"}': '0 0 0 0',
      },
      at: 3,
    },
  },
};

/** Prometheus' rendering of the annotation templates the rules use ($labels.name and $value). */
function render(template: string, labels: Record<string, string>, value: string | undefined): string {
  return template.replace(/\{\{ \$(labels\.(\w+)|value) \}\}/g, (_all, _ref: string, label?: string) => {
    const text = label === undefined ? value : labels[label];
    if (text === undefined) throw new Error(`scenario lacks what "${template}" renders`);
    return text;
  });
}

function testGroup(rule: AlertRule, c: Case, expected: Scenario['firing'] | undefined): object {
  const labels = expected && { ...expected.labels, ...rule.labels };
  return {
    interval: '1m',
    input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
    alert_rule_test: [
      {
        eval_time: `${c.at}m`,
        alertname: rule.alert,
        exp_alerts:
          expected && labels
            ? [
                {
                  exp_labels: labels,
                  exp_annotations: Object.fromEntries(
                    Object.entries(rule.annotations).map(([k, v]) => [k, render(v, labels, expected.value)]),
                  ),
                },
              ]
            : [],
      },
    ],
  };
}

describe('alert rules (deploy/monitoring)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdscsi-alerts-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const rules = alertRules();

  it('promtool accepts the rules file and the PrometheusRule carries the same groups', () => {
    assert.match(promtool(['check', 'rules', RULES_FILE]), /SUCCESS: \d+ rules found/);
    const operator = load(readFileSync(join(MONITORING_DIR, 'prometheusrule.yaml'), 'utf8')) as {
      kind: string;
      spec: RuleGroups;
    };
    assert.equal(operator.kind, 'PrometheusRule');
    assert.deepEqual(operator.spec, ruleGroups());
  });

  it('every alert has a severity, summary, description and a runbook section in operations.md', () => {
    const anchors = headingAnchors(readFileSync(OPERATIONS_DOC, 'utf8'));
    assert.ok(rules.length > 0);
    for (const rule of rules) {
      assert.match(rule.labels?.severity ?? '', /^(critical|warning|info)$/, rule.alert);
      assert.deepEqual(
        Object.keys(rule.annotations).sort(),
        ['description', 'runbook_url', 'summary'],
        rule.alert,
      );
      const url = rule.annotations.runbook_url!;
      assert.ok(url.startsWith(RUNBOOK_BASE), `${rule.alert}: ${url}`);
      assert.ok(
        anchors.has(url.slice(RUNBOOK_BASE.length)),
        `${rule.alert}: no heading for ${url} in operations.md`,
      );
    }
  });

  it('promtool test rules: each alert fires on its fault and stays quiet on its look-alike', () => {
    assert.deepEqual(
      Object.keys(scenarios).sort(),
      rules.map((r) => r.alert).sort(),
      'one scenario per alert',
    );
    const tests = {
      rule_files: [RULES_FILE],
      evaluation_interval: '1m',
      tests: rules.flatMap((rule) => {
        const scenario = scenarios[rule.alert]!;
        return [
          testGroup(rule, scenario.firing, scenario.firing),
          testGroup(rule, scenario.quiet, undefined),
        ];
      }),
    };
    const file = join(dir, 'alerts.test.yaml');
    writeFileSync(file, dump(tests, { lineWidth: -1 }));
    assert.match(promtool(['test', 'rules', file]), /SUCCESS/);
  });
});
