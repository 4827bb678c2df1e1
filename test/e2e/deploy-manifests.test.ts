/**
 * Static checks of deploy/: every manifest parses, the kustomization installs exactly them, every container of our
 * image runs a real service with variables that service reads and probes on its own port, the node plugin has the
 * host access it needs and nothing else is privileged, RBAC is scoped per ServiceAccount, NATS is a fsync-always
 * cluster whose configuration nats-server accepts, and no Secret holds a real credential. What the services do under
 * these users and roles is deploy-permissions.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsServerBinary } from '@rds-csi/testkit';
import {
  DEPLOY_DIR,
  IMAGE_REPOSITORY,
  METRICS_PORTS,
  SERVICES,
  containerEnv,
  envNamesReadBy,
  envValue,
  find,
  installedManifests,
  kustomization,
  loadManifests,
  natsConfig,
  natsVariables,
  objectData,
  serviceContainers,
  workloads,
  type Container,
  type KubeObject,
  type Workload,
} from './support/deploy.js';

const DRIVER = 'rds.csi.srvlab.io';
const NAMESPACE = 'rds-csi';
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'CSIDriver',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'VolumeSnapshotClass',
]);
/** StorageClass parameters of the Go driver, which the gateway accepts (services/csi-gateway parameters.ts). */
const STORAGE_CLASS_PARAMETERS = [
  'volumePath',
  'nvmeAddress',
  'nvmePort',
  'ctrlLossTmo',
  'reconnectDelay',
  'keepAliveTmo',
  'migrationTimeoutSeconds',
  'csi.storage.k8s.io/fstype',
];

const manifests = loadManifests();
const installed = installedManifests(manifests);
const ours = serviceContainers(installed);
const deployments = workloads(installed).filter((w) => w.kind !== 'DaemonSet');
const nodePlugin = workloads(installed).find((w) => w.kind === 'DaemonSet');

function container(workload: Workload, name: string): Container {
  const found = workload.pod.containers.find((c) => c.name === name);
  if (!found) throw new Error(`${workload.name} has no container ${name}`);
  return found;
}

function workload(name: string): Workload {
  const found = workloads(installed).find((w) => w.name === name);
  if (!found) throw new Error(`deploy/ has no workload ${name}`);
  return found;
}

const effective = (w: Workload, c: Container) => ({ ...w.pod.securityContext, ...c.securityContext });

describe('deploy/ manifests', () => {
  it('every YAML file parses into named Kubernetes objects, unique per kind and namespace', () => {
    assert.ok(manifests.length > 20, 'deploy/ holds the manifests');
    const seen = new Set<string>();
    for (const { file, object } of manifests) {
      assert.ok(
        object.apiVersion && object.kind && object.metadata?.name,
        `${file}: an object without apiVersion, kind or name`,
      );
      const id = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      assert.ok(!seen.has(id), `${file}: ${id} is defined twice`);
      seen.add(id);
    }
  });

  it('the kustomization installs every manifest of deploy/ into rds-csi, and no Secret', () => {
    const top = readdirSync(DEPLOY_DIR).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    assert.deepEqual([...kustomization().resources].sort(), top.sort());
    assert.equal(kustomization().namespace, NAMESPACE);
    assert.ok(
      kustomization().images?.some((i) => i.name === IMAGE_REPOSITORY),
      'the image can be retargeted with kustomize',
    );
    for (const { file, object } of installed) {
      assert.notEqual(object.kind, 'Secret', `${file}: real credentials must not be overwritten by apply -k`);
      if (!CLUSTER_SCOPED.has(object.kind))
        assert.equal(object.metadata.namespace, NAMESPACE, `${file}: ${object.kind} ${object.metadata.name}`);
    }
  });

  it('declares the CSI driver the sidecars and kubelet expect', () => {
    assert.deepEqual(find(installed, 'CSIDriver', DRIVER).spec, {
      attachRequired: true,
      podInfoOnMount: false,
      volumeLifecycleModes: ['Persistent'],
      fsGroupPolicy: 'File',
    });
  });

  it('runs each service of the image, the gateway in both modes', () => {
    const entrypoint = readFileSync(join(DEPLOY_DIR, 'entrypoint.sh'), 'utf8');
    for (const { workload: w, container: c, service } of ours) {
      assert.ok(SERVICES.includes(service), `${w.name}/${c.name} runs "${service}", not a service`);
      assert.match(entrypoint, new RegExp(`\\b${service}\\b`), `entrypoint.sh cannot start ${service}`);
    }
    assert.deepEqual([...new Set(ours.map((o) => o.service))].sort(), [...SERVICES].sort());
    const modes = ours
      .filter((o) => o.service === 'csi-gateway')
      .map((o) => `${o.workload.kind} ${envValue(o.container, 'CSI_MODE')}`);
    assert.deepEqual(modes.sort(), ['DaemonSet node', 'Deployment controller']);
  });

  it('gives each container only variables its service reads, all resolvable', () => {
    for (const { workload: w, container: c, service } of ours) {
      const env = containerEnv(installed.concat(manifests.filter((m) => m.object.kind === 'Secret')), c, {
        fields: { 'spec.nodeName': 'node-1' },
      });
      const read = envNamesReadBy(service);
      const unknown = Object.keys(env).filter((name) => !read.has(name));
      assert.deepEqual(unknown, [], `${w.name}/${c.name}: ${service} never reads these`);
    }
  });

  it('probes every service on its own METRICS_PORT: /healthz for liveness, /readyz for readiness', () => {
    for (const { workload: w, container: c, service } of ours) {
      const port = METRICS_PORTS[service];
      assert.equal(envValue(c, 'METRICS_PORT'), String(port), `${w.name}/${c.name}`);
      assert.ok(
        c.ports?.some((p) => p.containerPort === port),
        `${w.name}/${c.name} declares port ${port}`,
      );
      assert.deepEqual(c.livenessProbe?.httpGet, { path: '/healthz', port }, `${w.name}/${c.name} liveness`);
      assert.deepEqual(c.readinessProbe?.httpGet, { path: '/readyz', port }, `${w.name}/${c.name} readiness`);
    }
  });

  it('runs every Deployment and StatefulSet container non-root, read-only, without capabilities, with resources', () => {
    for (const w of deployments) {
      for (const c of w.pod.containers) {
        const sc = effective(w, c);
        const where = `${w.name}/${c.name}`;
        assert.notEqual(sc.privileged, true, `${where} is privileged`);
        assert.equal(sc.runAsNonRoot, true, `${where} may run as root`);
        assert.notEqual(sc.runAsUser, 0, `${where} runs as root`);
        assert.equal(sc.allowPrivilegeEscalation, false, `${where} allows privilege escalation`);
        assert.equal(sc.readOnlyRootFilesystem, true, `${where} has a writable root filesystem`);
        assert.deepEqual(sc.capabilities, { drop: ['ALL'] }, `${where} keeps capabilities`);
        assert.ok(
          c.resources?.requests?.cpu && c.resources.requests.memory && c.resources.limits?.memory,
          `${where} lacks requests or a memory limit`,
        );
      }
    }
  });

  it('runs the node plugin privileged on the host network with /dev, /sys, modules and the kubelet directory', () => {
    assert.ok(nodePlugin, 'a node DaemonSet');
    const pod = nodePlugin.pod;
    const gateway = container(nodePlugin, 'csi-gateway');
    assert.equal(gateway.securityContext?.privileged, true);
    assert.equal(pod.hostNetwork, true);
    assert.equal(pod.dnsPolicy, 'ClusterFirstWithHostNet', 'NATS_URL names a cluster Service');
    assert.deepEqual(gateway.env?.find((e) => e.name === 'CSI_NODE_ID')?.valueFrom, {
      fieldRef: { fieldPath: 'spec.nodeName' },
    });
    assert.match(envValue(gateway, 'CSI_MANAGED_NQN_PREFIX') ?? '', /^nqn\.2000-02\.com\.mikrotik:pvc-$/);

    const hostPath = (name: string) => pod.volumes?.find((v) => v.name === name)?.hostPath?.path;
    const mounts = Object.fromEntries(
      (gateway.volumeMounts ?? []).map((m) => [hostPath(m.name) ?? m.name, m]),
    );
    assert.equal(mounts['/dev']?.mountPath, '/dev');
    assert.equal(mounts['/sys']?.mountPath, '/sys');
    assert.deepEqual(
      [mounts['/lib/modules']?.mountPath, mounts['/lib/modules']?.readOnly],
      ['/lib/modules', true],
    );
    assert.deepEqual(
      [mounts['/var/lib/kubelet']?.mountPath, mounts['/var/lib/kubelet']?.mountPropagation],
      ['/var/lib/kubelet', 'Bidirectional'],
    );

    // kubelet dials the socket at its host path: plugin dir + the socket name of CSI_ENDPOINT.
    const pluginDir = `/var/lib/kubelet/plugins/${DRIVER}`;
    const socket = /^unix:\/\/(\/.+)\/([^/]+)$/.exec(envValue(gateway, 'CSI_ENDPOINT') ?? '');
    assert.ok(socket, 'CSI_ENDPOINT is a unix socket');
    assert.equal(mounts[pluginDir]?.mountPath, socket[1]);
    const registrar = container(nodePlugin, 'node-driver-registrar');
    assert.ok(
      registrar.args?.includes(`--kubelet-registration-path=${pluginDir}/${socket[2]}`),
      'registrar announces the host path',
    );
    assert.ok(registrar.args?.includes(`--csi-address=${socket[1]}/${socket[2]}`));
    assert.equal(effective(nodePlugin, registrar).privileged, undefined, 'the registrar needs no privileges');
  });

  it('runs the CSI sidecars next to the controller gateway with leader election, timeouts and PV names', () => {
    const controller = workload('rds-csi-controller');
    const gateway = container(controller, 'csi-gateway');
    assert.equal(envValue(gateway, 'CSI_MODE'), 'controller');
    const socket = (envValue(gateway, 'CSI_ENDPOINT') ?? '').replace(/^unix:\/\//, '');
    const sidecars = controller.pod.containers.filter((c) => c !== gateway);
    assert.deepEqual(sidecars.map((c) => c.name).sort(), [
      'csi-attacher',
      'csi-provisioner',
      'csi-resizer',
      'csi-snapshotter',
    ]);
    for (const c of sidecars) {
      assert.ok(c.args?.includes(`--csi-address=${socket}`), `${c.name} dials the gateway`);
      assert.ok(
        c.args?.includes('--leader-election') || controller.replicas === 1,
        `${c.name} elects a leader among ${controller.replicas} replicas`,
      );
      assert.ok(
        c.args?.some((a) => /^--timeout=\d+s$/.test(a)),
        `${c.name} sets --timeout`,
      );
    }
    for (const name of ['csi-provisioner', 'csi-snapshotter'])
      assert.ok(container(controller, name).args?.includes('--extra-create-metadata'), name);
  });

  it('keeps the singletons single: one rds-connector (one SSH session) and one node-watcher, replaced not rolled', () => {
    for (const name of ['rds-csi-connector', 'rds-csi-node-watcher']) {
      const w = workload(name);
      assert.equal(w.replicas, 1, name);
      const object = find(installed, 'Deployment', name) as KubeObject & {
        spec: { strategy?: { type?: string } };
      };
      assert.equal(object.spec.strategy?.type, 'Recreate', `${name} must never run twice during a rollout`);
    }
  });

  it('gives every pod its own ServiceAccount, bound only to roles that exist, with no wildcard and no Secret access', () => {
    const accounts = workloads(installed).map((w) => w.pod.serviceAccountName);
    assert.equal(new Set(accounts).size, accounts.length, 'pods share a ServiceAccount');
    const bound = new Set<string>();
    for (const { object } of installed) {
      if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') continue;
      const binding = object as KubeObject & {
        subjects: { name: string; namespace: string }[];
        roleRef: { kind: string; name: string };
      };
      find(installed, binding.roleRef.kind, binding.roleRef.name);
      for (const s of binding.subjects) {
        find(installed, 'ServiceAccount', s.name);
        assert.equal(s.namespace, NAMESPACE);
        bound.add(s.name);
      }
    }
    for (const w of workloads(installed)) {
      const account = find(installed, 'ServiceAccount', w.pod.serviceAccountName ?? 'default');
      if (!bound.has(account.metadata.name)) {
        assert.equal(
          account.automountServiceAccountToken,
          false,
          `${account.metadata.name} has no role: no token either`,
        );
      }
    }
    for (const { object } of installed) {
      if (object.kind !== 'Role' && object.kind !== 'ClusterRole') continue;
      for (const rule of object.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]) {
        const all = [...rule.apiGroups, ...rule.resources, ...rule.verbs];
        assert.ok(!all.includes('*'), `${object.metadata.name} uses a wildcard`);
        assert.ok(!rule.resources.includes('secrets'), `${object.metadata.name} reads Secrets`);
      }
    }
  });

  describe('NATS', () => {
    const nats = workload('rds-csi-nats');
    const { server, accounts } = natsConfig(installed);
    const natsEnv = containerEnv(manifests, nats.pod.containers[0] as Container, {
      fields: { 'metadata.name': 'rds-csi-nats-0' },
    });

    it('is a three-server cluster whose routes name every replica through the headless Service', () => {
      assert.equal(nats.replicas, 3);
      const statefulSet = find(installed, 'StatefulSet', 'rds-csi-nats') as KubeObject & {
        spec: { serviceName: string };
      };
      const headless = find(installed, 'Service', statefulSet.spec.serviceName) as KubeObject & {
        spec: { clusterIP: string; publishNotReadyAddresses: boolean };
      };
      assert.equal(headless.spec.clusterIP, 'None');
      assert.equal(headless.spec.publishNotReadyAddresses, true, 'peers must resolve before they are ready');
      const routes = [...server.matchAll(/nats:\/\/([^\s:]+):6222/g)].map((m) => m[1]);
      assert.deepEqual(
        routes,
        [0, 1, 2].map((i) => `rds-csi-nats-${i}.${statefulSet.spec.serviceName}`),
      );
    });

    it('fsyncs every JetStream write (sync_interval: always) and every service provisions three replicas', () => {
      const jetstream = /jetstream\s*\{([^}]*)\}/.exec(server)?.[1] ?? '';
      assert.match(jetstream, /^\s*sync_interval:\s*always\s*$/m);
      assert.equal(
        objectData(installed, 'ConfigMap', 'rds-csi-nats-client').NATS_REPLICAS,
        String(nats.replicas),
      );
    });

    it('gets every configuration variable from its environment, and each service the password of its user', () => {
      for (const variable of natsVariables(server + accounts))
        assert.ok(variable in natsEnv, `nats-server lacks $${variable}`);
      for (const { workload: w, container: c } of ours) {
        const user = envValue(c, 'NATS_USER') ?? '';
        const block = new RegExp(`user:\\s*${user}\\s*\\n\\s*password:\\s*\\$([A-Z_]+)`).exec(accounts);
        assert.ok(block, `${w.name}/${c.name}: NATS user ${user} is not defined`);
        const serviceKey = c.env?.find((e) => e.name === 'NATS_PASSWORD')?.valueFrom?.secretKeyRef;
        const serverKey = nats.pod.containers[0]?.env?.find((e) => e.name === block[1])?.valueFrom
          ?.secretKeyRef;
        assert.ok(serviceKey && serverKey, `${user}: password from a Secret on both sides`);
        assert.deepEqual(
          serviceKey,
          serverKey,
          `${w.name}/${c.name} and nats-server read ${user}'s password from the same key`,
        );
      }
    });

    it('is accepted by nats-server', (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'rdscsi-natsconf-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const binary = natsServerBinary();
      const version = /v(\d+)\.(\d+)/.exec(execFileSync(binary, ['--version'], { encoding: 'utf8' }));
      const [major, minor] = [Number(version?.[1]), Number(version?.[2])];
      let checked = server;
      if (major === 2 && minor < 10) {
        // sync_interval arrived in 2.10 (the image runs 2.14); older test servers check everything else.
        t.diagnostic(`nats-server ${major}.${minor} predates sync_interval: checked without it`);
        checked = server.replace(/^\s*sync_interval:.*$/m, '');
      }
      writeFileSync(join(dir, 'nats.conf'), checked);
      writeFileSync(join(dir, 'accounts.conf'), accounts);
      const env = {
        ...process.env,
        ...Object.fromEntries(Object.keys(natsEnv).map((k) => [k, `value${k.length}x`])),
      };
      // -t parses and checks the configuration, then exits non-zero (execFileSync throws with its stderr) on an error.
      execFileSync(binary, ['-t', '-c', join(dir, 'nats.conf')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    });
  });

  it('agrees on the connection heartbeat between the connector and the gateway', () => {
    assert.equal(
      objectData(installed, 'ConfigMap', 'rds-csi-rds-connector').HEARTBEAT_INTERVAL_MS,
      objectData(installed, 'ConfigMap', 'rds-csi-csi-gateway').RDS_HEARTBEAT_INTERVAL_MS,
    );
  });

  it('ships Secret templates with placeholders only, and no private key or fingerprint anywhere', () => {
    const secrets = manifests.filter((m) => m.object.kind === 'Secret');
    assert.deepEqual(secrets.map((s) => s.object.metadata.name).sort(), [
      'rds-csi-nats-users',
      'rds-csi-rds-ssh',
    ]);
    for (const { object } of secrets) {
      for (const [key, value] of Object.entries(objectData(manifests, 'Secret', object.metadata.name))) {
        assert.match(value, /^REPLACE_WITH_[A-Z_]+$/, `${object.metadata.name}/${key} is not a placeholder`);
      }
    }
    const realLooking = [
      /-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/=]{20}/,
      /\bssh-(ed25519|rsa|dss) AAAA[A-Za-z0-9+/]{20}/,
      /\becdsa-sha2-nistp\d+ AAAA[A-Za-z0-9+/]{20}/,
      /\bSHA256:[A-Za-z0-9+/]{43}\b/,
      /\bS[UAONCX][A-Z2-7]{50,}\b/, // NATS nkey seeds
    ];
    for (const file of readdirSync(DEPLOY_DIR, { recursive: true, encoding: 'utf8' })) {
      if (!/\.(ya?ml|sh|conf)$|Dockerfile/.test(file)) continue;
      const text = readFileSync(join(DEPLOY_DIR, file), 'utf8');
      for (const pattern of realLooking)
        assert.doesNotMatch(text, pattern, `${file} holds what looks like a real key`);
    }
  });

  it('offers an example StorageClass and VolumeSnapshotClass for the driver, with the Go driver parameters', () => {
    const storageClass = find(manifests, 'StorageClass', 'rds-nvme') as KubeObject & {
      provisioner: string;
      parameters: Record<string, string>;
      allowVolumeExpansion: boolean;
      volumeBindingMode: string;
    };
    assert.equal(storageClass.provisioner, DRIVER);
    assert.deepEqual(Object.keys(storageClass.parameters).sort(), [...STORAGE_CLASS_PARAMETERS].sort());
    assert.equal(storageClass.allowVolumeExpansion, true);
    assert.equal(storageClass.volumeBindingMode, 'WaitForFirstConsumer');
    assert.equal(
      (find(manifests, 'VolumeSnapshotClass', 'rds-nvme') as KubeObject & { driver: string }).driver,
      DRIVER,
    );
  });

  it('builds every service into one image that carries the node tools', () => {
    const dockerfile = readFileSync(join(DEPLOY_DIR, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /ARG NODE_IMAGE=node:24-bookworm-slim/);
    assert.match(dockerfile, /RUN node scripts\/build-services\.mjs/);
    const packages = /apt-get install[^\n]*/.exec(dockerfile)?.[0] ?? '';
    for (const tool of ['nvme-cli', 'e2fsprogs', 'xfsprogs', 'util-linux', 'mount'])
      assert.match(packages, new RegExp(`\\b${tool}\\b`));
    for (const service of SERVICES)
      assert.match(dockerfile, new RegExp(`services/${service}/dist /app/${service}\\b`));
    assert.match(dockerfile, /ENTRYPOINT \[.*"\/usr\/local\/bin\/rds-csi"\]/);
    assert.match(dockerfile, /packages\/cli\/dist \/app\/rdscsi\b/, 'the admin CLI');
    assert.match(dockerfile, /deploy\/entrypoint\.sh \/usr\/local\/bin\/rdscsi\b/);
    for (const { container: c } of ours) assert.equal(c.image.split(':')[0], IMAGE_REPOSITORY);
  });
});
