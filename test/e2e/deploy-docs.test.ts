/** docs/ agrees with deploy/: the RBAC table of docs/operations.md is exactly what deploy/rbac.yaml grants. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { find, loadManifests, type KubeObject } from './support/deploy.js';

const OPERATIONS = join(import.meta.dirname, '..', '..', 'docs', 'operations.md');

interface Binding extends KubeObject {
  subjects: { kind: string; name: string }[];
  roleRef: { kind: string; name: string };
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** One row per (ServiceAccount, role, rule): what the bindings in deploy/ grant. */
function granted(): string[] {
  const manifests = loadManifests();
  return manifests
    .filter(({ object }) => object.kind === 'ClusterRoleBinding' || object.kind === 'RoleBinding')
    .flatMap(({ object }) => {
      const binding = object as Binding;
      const role = find(manifests, binding.roleRef.kind, binding.roleRef.name) as KubeObject & {
        rules: Rule[];
      };
      return binding.subjects
        .filter((s) => s.kind === 'ServiceAccount')
        .flatMap((s) =>
          role.rules.map((r) =>
            [
              s.name,
              `${binding.roleRef.kind} ${binding.roleRef.name}`,
              r.apiGroups.map((g) => (g === '' ? 'core' : g)).join(', '),
              r.resources.join(', '),
              r.verbs.join(', '),
            ].join(' | '),
          ),
        );
    })
    .sort();
}

/** The rows of the table below the "Kubernetes RBAC" heading, code spans unwrapped. */
function documented(): string[] {
  const text = readFileSync(OPERATIONS, 'utf8');
  const section = text.slice(text.indexOf('### Kubernetes RBAC'));
  const table = section.slice(section.indexOf('\n|')).split('\n\n')[0]!;
  return table
    .trim()
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, ''))
        .join(' | '),
    )
    .sort();
}

describe('docs/operations.md against deploy/', () => {
  it('the RBAC table lists exactly the rights deploy/rbac.yaml grants', () => {
    assert.ok(granted().length >= 20);
    assert.deepEqual(documented(), granted());
  });
});
