/**
 * Every object in deploy/ against the Kubernetes OpenAPI schemas (kubernetes-models, and its prometheus-operator
 * models for the PodMonitor and the PrometheusRule), and every API version it uses one that the oldest supported
 * Kubernetes (1.28, docs/operations.md) serves.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as kubernetes from 'kubernetes-models';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';
import { loadManifests, type KubeObject } from './support/deploy.js';

/** Kinds and API versions served by Kubernetes 1.28 (all GA there), and the CRDs the driver's manifests expect. */
const SERVED_BY_1_28: Record<string, readonly string[]> = {
  v1: ['ConfigMap', 'Namespace', 'Secret', 'Service', 'ServiceAccount'],
  'apps/v1': ['DaemonSet', 'Deployment', 'StatefulSet'],
  'networking.k8s.io/v1': ['NetworkPolicy'],
  'policy/v1': ['PodDisruptionBudget'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'storage.k8s.io/v1': ['CSIDriver', 'StorageClass'],
  // CRDs: the external-snapshotter's (v1 since its 4.0) and the Prometheus Operator's.
  'snapshot.storage.k8s.io/v1': ['VolumeSnapshotClass'],
  'monitoring.coreos.com/v1': ['PodMonitor', 'PrometheusRule'],
};

/** Kinds no schema package here describes: checked by their own tests (deploy-manifests.test.ts). */
const WITHOUT_SCHEMA = new Set(['snapshot.storage.k8s.io/v1 VolumeSnapshotClass']);

interface Validating {
  validate(): void;
}
type ModelClass = new (data: object) => Validating;

/** `rbac.authorization.k8s.io` → the module namespace `rbacAuthorizationK8sIo` (how kubernetes-models names it). */
const namespaceOf = (group: string): string =>
  group.replace(/[.-]([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function modelOf(object: KubeObject): ModelClass | undefined {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const root: Record<string, unknown> = group === 'monitoring.coreos.com' ? prometheusOperator : kubernetes;
  const groupModule = (group === '' ? root : root[namespaceOf(group!)]) as
    Record<string, unknown> | undefined;
  const versionModule = groupModule?.[version!] as Record<string, unknown> | undefined;
  return versionModule?.[object.kind] as ModelClass | undefined;
}

function schemaErrors(object: KubeObject): string | undefined {
  const Model = modelOf(object);
  if (!Model) return `no schema for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(object).validate();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('deploy/ against the Kubernetes OpenAPI schemas', () => {
  const manifests = loadManifests();

  it('uses only API versions and kinds that Kubernetes 1.28 (the oldest supported) serves', () => {
    for (const { file, object } of manifests) {
      assert.ok(
        SERVED_BY_1_28[object.apiVersion]?.includes(object.kind),
        `${file}: ${object.apiVersion} ${object.kind} is not served by Kubernetes 1.28`,
      );
    }
  });

  it('every object validates against its schema', () => {
    const checked = manifests.filter(
      ({ object }) => !WITHOUT_SCHEMA.has(`${object.apiVersion} ${object.kind}`),
    );
    assert.ok(checked.length >= 40, `${checked.length} objects`);
    for (const { file, object } of checked) {
      assert.equal(schemaErrors(object), undefined, `${file}: ${object.kind} ${object.metadata.name}`);
    }
  });

  it('the schemas catch what the API server would refuse: a wrong type, a missing required field', () => {
    const deployment = manifests.find(({ object }) => object.kind === 'Deployment')!.object;
    const broken = (mutate: (copy: KubeObject & { spec: Record<string, unknown> }) => void): KubeObject => {
      const copy = structuredClone(deployment) as KubeObject & { spec: Record<string, unknown> };
      mutate(copy);
      return copy;
    };
    assert.match(schemaErrors(broken((d) => (d.spec.replicas = '1')))!, /replicas/);
    assert.match(schemaErrors(broken((d) => delete d.spec.selector))!, /selector/);
    const rule = manifests.find(({ object }) => object.kind === 'PrometheusRule')!.object as KubeObject & {
      spec: { groups: { rules: object[] }[] };
    };
    const badRule = structuredClone(rule);
    badRule.spec.groups[0]!.rules.push({ alert: 'NoExpression' });
    assert.match(schemaErrors(badRule)!, /expr/);
  });
});
