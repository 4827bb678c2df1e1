/**
 * The Kubernetes manifests of deploy/ as data, for the tests that check them: the parsed objects, the containers
 * that run our image, their environment as Kubernetes would build it, the NATS configuration, and what each
 * service's sources read and call.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { endpoints, type EndpointKey, type ServiceName } from '@rds-csi/contracts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEPLOY_DIR = join(REPO_ROOT, 'deploy');
export const IMAGE_REPOSITORY = 'ghcr.io/srvlab/rds-csi';
export const SERVICES: readonly ServiceName[] = [
  'csi-gateway',
  'rds-connector',
  'node-watcher',
  'reconciler',
];
/** Each service's default METRICS_PORT (docs/operations.md). */
export const METRICS_PORTS: Readonly<Record<ServiceName, number>> = {
  'rds-connector': 9810,
  'csi-gateway': 9811,
  'node-watcher': 9812,
  reconciler: 9813,
};

/** The slice of a Kubernetes object these tests read; everything else stays `unknown`. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface Manifest {
  /** Path below deploy/. */
  file: string;
  object: KubeObject;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}

export interface Probe {
  httpGet?: { path: string; port: number | string };
}

export interface SecurityContext {
  privileged?: boolean;
  runAsUser?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; mountPropagation?: string }[];
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  dnsPolicy?: string;
  securityContext?: SecurityContext & { fsGroup?: number };
  containers: Container[];
  volumes?: {
    name: string;
    hostPath?: { path: string };
    secret?: { secretName: string };
    configMap?: { name: string };
  }[];
}

export interface Workload {
  file: string;
  kind: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  name: string;
  replicas: number;
  pod: PodSpec;
}

/** A container running one of our services (the image's first argument names it). */
export interface ServiceContainer {
  workload: Workload;
  container: Container;
  service: ServiceName;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry) ? [path] : [];
    })
    .sort();
}

/** Kustomizations and Prometheus rule files (deploy/monitoring/) are YAML but no Kubernetes objects. */
const NOT_OBJECTS = /(^|\/)(kustomization|[\w-]+\.rules)\.yaml$/;

/** Every Kubernetes object under deploy/ (examples included), with the file it came from. */
export function loadManifests(): Manifest[] {
  return yamlFiles(DEPLOY_DIR)
    .filter((path) => !NOT_OBJECTS.test(path))
    .flatMap((path) =>
      loadAll(readFileSync(path, 'utf8'))
        .filter((doc) => doc !== null && doc !== undefined)
        .map((object) => ({ file: relative(DEPLOY_DIR, path), object: object as KubeObject })),
    );
}

export function kustomization(): {
  namespace?: string;
  resources: string[];
  images?: { name: string; newTag?: string }[];
} {
  const [doc] = loadAll(readFileSync(join(DEPLOY_DIR, 'kustomization.yaml'), 'utf8'));
  return doc as ReturnType<typeof kustomization>;
}

/** What `kubectl apply -k deploy/` creates. */
export function installedManifests(all: Manifest[] = loadManifests()): Manifest[] {
  const resources = new Set(kustomization().resources);
  return all.filter((m) => resources.has(m.file));
}

export function find(manifests: Manifest[], kind: string, name: string): KubeObject {
  const found = manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/`);
  return found.object;
}

export function workloads(manifests: Manifest[]): Workload[] {
  return manifests.flatMap(({ file, object }) => {
    if (object.kind !== 'Deployment' && object.kind !== 'DaemonSet' && object.kind !== 'StatefulSet')
      return [];
    const spec = object.spec as { replicas?: number; template: { spec: PodSpec } };
    return [
      {
        file,
        kind: object.kind,
        name: object.metadata.name,
        replicas: spec.replicas ?? 1,
        pod: spec.template.spec,
      },
    ];
  });
}

export function serviceContainers(manifests: Manifest[]): ServiceContainer[] {
  return workloads(manifests).flatMap((workload) =>
    workload.pod.containers
      .filter((c) => c.image.split(':')[0] === IMAGE_REPOSITORY)
      .map((container) => ({ workload, container, service: container.args?.[0] as ServiceName })),
  );
}

/** The value of a literal `env` entry. */
export function envValue(container: Container, name: string): string | undefined {
  return container.env?.find((e) => e.name === name)?.value;
}

function dataOf(object: KubeObject): Record<string, string> {
  const data = (object.data ?? {}) as Record<string, string>;
  const stringData = (object.stringData ?? {}) as Record<string, string>;
  const decoded =
    object.kind === 'Secret'
      ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))
      : data;
  return { ...decoded, ...stringData };
}

/** Keys of a ConfigMap or Secret, as a container would see them. */
export function objectData(
  manifests: Manifest[],
  kind: 'ConfigMap' | 'Secret',
  name: string,
): Record<string, string> {
  return dataOf(find(manifests, kind, name));
}

export interface EnvResolution {
  /** Secret values by Secret name and key (the tests' own credentials instead of the templates' placeholders). */
  secrets?: Record<string, Record<string, string>>;
  /** Values of fieldRef paths, e.g. spec.nodeName. */
  fields?: Record<string, string>;
}

/**
 * The environment Kubernetes gives a container: envFrom ConfigMaps first, then `env` entries (which win), with
 * ConfigMap and Secret references resolved. A reference to a missing object or key throws, as the kubelet refuses
 * to start such a container.
 */
export function containerEnv(
  manifests: Manifest[],
  container: Container,
  resolution: EnvResolution = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${container.name}: only ConfigMaps are loaded with envFrom`);
    Object.assign(env, objectData(manifests, 'ConfigMap', source.configMapRef.name));
  }
  for (const entry of container.env ?? []) {
    env[entry.name] = resolveEnvVar(manifests, container, entry, resolution);
  }
  return env;
}

function resolveEnvVar(
  manifests: Manifest[],
  container: Container,
  entry: EnvVar,
  resolution: EnvResolution,
): string {
  if (entry.value !== undefined) return entry.value;
  const from = entry.valueFrom;
  const missing = (what: string): never => {
    throw new Error(`${container.name}: ${entry.name} refers to ${what}, which deploy/ does not define`);
  };
  if (from?.fieldRef)
    return resolution.fields?.[from.fieldRef.fieldPath] ?? missing(`field ${from.fieldRef.fieldPath}`);
  if (from?.configMapKeyRef) {
    const { name, key } = from.configMapKeyRef;
    return objectData(manifests, 'ConfigMap', name)[key] ?? missing(`ConfigMap ${name} key ${key}`);
  }
  if (from?.secretKeyRef) {
    const { name, key } = from.secretKeyRef;
    const template = objectData(manifests, 'Secret', name);
    if (!(key in template)) missing(`Secret ${name} key ${key}`);
    return resolution.secrets?.[name]?.[key] ?? (template[key] as string);
  }
  return missing('nothing');
}

/** The `nats.conf` and `accounts.conf` of the NATS ConfigMap. */
export function natsConfig(manifests: Manifest[]): { server: string; accounts: string } {
  const data = objectData(manifests, 'ConfigMap', 'rds-csi-nats-config');
  if (!data['nats.conf'] || !data['accounts.conf'])
    throw new Error('rds-csi-nats-config lacks nats.conf or accounts.conf');
  return { server: data['nats.conf'], accounts: data['accounts.conf'] };
}

/** `$NAME` variables of a NATS configuration (quoted strings are literal, so `"$SRV.*"` is not one). */
export function natsVariables(config: string): string[] {
  const unquoted = config.replace(/#.*$/gm, '').replace(/"[^"]*"/g, '""');
  return [...new Set([...unquoted.matchAll(/\$([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] as string))].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The gateway runs in two CSI modes from one codebase; each mode is its own role with its own NATS user. */
export type Role = Exclude<ServiceName, 'csi-gateway'> | 'csi-gateway/controller' | 'csi-gateway/node';

export function roleOf(service: ServiceName, mode: string | undefined): Role {
  if (service !== 'csi-gateway') return service;
  if (mode !== 'controller' && mode !== 'node') throw new Error(`csi-gateway with CSI_MODE=${mode}`);
  return `csi-gateway/${mode}`;
}

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g;

/**
 * The source files a role runs: everything src/main.ts reaches through relative imports, without entering the
 * other CSI mode's folder (src/controller or src/node), which that role never executes.
 */
function roleSources(role: Role): string[] {
  const [service, mode] = role.split('/') as [ServiceName, string | undefined];
  const src = join(REPO_ROOT, 'services', service, 'src');
  const otherMode =
    mode === 'controller' ? join(src, 'node') : mode === 'node' ? join(src, 'controller') : undefined;
  const reached = new Set<string>();
  const pending = [join(src, 'main.ts')];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (reached.has(file) || (otherMode !== undefined && file.startsWith(otherMode + '/'))) continue;
    reached.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      pending.push(join(dirname(file), `${match[1] as string}.ts`));
    }
  }
  return [...reached];
}

/** Shared packages that read environment variables for every service. */
const SHARED_CONFIG_SOURCES = ['packages/bus/src', 'packages/observability/src'];

const ENV_READS = [
  /\benv\??\.([A-Z][A-Z0-9_]+)\b/g, // env.NAME, process.env.NAME
  /\benv\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\]/g, // env['NAME']
  /\(\s*env\s*,\s*['"]([A-Z][A-Z0-9_]+)['"]/g, // helper(env, 'NAME')
  /^\s*([A-Z][A-Z0-9_]{2,})\s*:/gm, // NAME: z.string() in a zod schema of the environment
];

/** Environment variable names a service's sources (and the shared config code) read. */
export function envNamesReadBy(service: ServiceName): Set<string> {
  const files = [
    ...sourceFiles(join(REPO_ROOT, 'services', service, 'src')),
    ...SHARED_CONFIG_SOURCES.flatMap((dir) => sourceFiles(join(REPO_ROOT, dir))),
  ];
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of ENV_READS)
      for (const match of text.matchAll(pattern)) names.add(match[1] as string);
  }
  return names;
}

/** Endpoints a role's sources call (`endpoints.<key>` of another service). */
export function endpointsCalledBy(role: Role): EndpointKey[] {
  const service = role.split('/')[0] as ServiceName;
  const used = new Set<string>();
  for (const file of roleSources(role)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\bendpoints\.([A-Za-z]+)\b/g))
      used.add(match[1] as string);
  }
  return (Object.keys(endpoints) as EndpointKey[]).filter(
    (key) => used.has(key) && endpoints[key].service !== service,
  );
}
