/** deploy/monitoring/: the alert rules, and what they point to in docs/operations.md. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { DEPLOY_DIR } from './deploy.js';

export const MONITORING_DIR = join(DEPLOY_DIR, 'monitoring');
export const RULES_FILE = join(MONITORING_DIR, 'rds-csi.rules.yaml');
export const OPERATIONS_DOC = join(DEPLOY_DIR, '..', 'docs', 'operations.md');
export const RUNBOOK_BASE = 'https://github.com/srvlab/rds-csi/blob/main/docs/operations.md#';

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations: Record<string, string>;
}
export interface RuleGroups {
  groups: { name: string; rules: AlertRule[] }[];
}

export function ruleGroups(file = RULES_FILE): RuleGroups {
  return load(readFileSync(file, 'utf8')) as RuleGroups;
}

export function alertRules(): AlertRule[] {
  return ruleGroups().groups.flatMap((g) => g.rules);
}

const PROMTOOL_CANDIDATES = [process.env.PROMTOOL_BIN, '/usr/bin/promtool', '/usr/local/bin/promtool'];

/** Debian's `prometheus` package provides both binaries (scripts/setup.sh installs it). */
export function prometheusBinary(name: 'promtool' | 'prometheus'): string {
  const candidates =
    name === 'promtool' ? PROMTOOL_CANDIDATES : [process.env.PROMETHEUS_BIN, '/usr/bin/prometheus'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found)
    throw new Error(`${name} not found: run scripts/setup.sh (installs Debian's prometheus package)`);
  return found;
}

/** Runs promtool; returns its output, or throws with it. */
export function promtool(args: string[]): string {
  try {
    return execFileSync(prometheusBinary('promtool'), args, { encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    const failure = err as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`);
  }
}

/** GitHub's anchors of a Markdown file's headings (lower case, punctuation dropped, spaces to dashes). */
export function headingAnchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]!
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

export const DASHBOARDS_DIR = join(MONITORING_DIR, 'dashboards');

export interface DashboardTarget {
  refId: string;
  expr: string;
  legendFormat?: string;
  datasource?: unknown;
}
export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: unknown;
  targets?: DashboardTarget[];
}
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  [field: string]: unknown;
}

export function dashboards(): { file: string; dashboard: Dashboard }[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard,
    }));
}

/** Every PromQL query of every dashboard panel, with where it is. */
export function dashboardQueries(): { where: string; expr: string }[] {
  return dashboards().flatMap(({ file, dashboard }) =>
    dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((t) => ({ where: `${file}: ${panel.title} ${t.refId}`, expr: t.expr })),
    ),
  );
}
