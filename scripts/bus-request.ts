/**
 * `npm run req -- <subject> ['<json>']`: one request to a service over NATS, like `nats req`, but validated against
 * the contracts and printed with its error code. The subject as the docs print it (rdscsi.attach.list) or without
 * the prefix (attach.list). NATS_URL, or the local stack's (.local/nats.url). A paged listing prints every page.
 *   npm run req -- rdscsi.attach.list
 *   npm run req -- rds.volume.create '{"id":"pvc-1b4e28ba-2fa1-11d2-883f-0016d3cca427","sizeBytes":1073741824}'
 *   npm run req -- rds.volume.list
 *   npm run req -- reconcile.trigger '{"dryRun":true}'
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Bus, busConfigFromEnv } from '@rds-csi/bus';
import { RdsCsiError, endpoints } from '@rds-csi/contracts';
import { createMetricsRegistry, silentLogger } from '@rds-csi/observability';

const [subject = '', body = '{}'] = process.argv.slice(2);
const prefix = `${process.env.RDSCSI_SUBJECT_PREFIX ?? 'rdscsi'}.`;
const path = subject.startsWith(prefix) ? subject.slice(prefix.length) : subject;
const endpoint = Object.values(endpoints).find((e) => e.path === path);
if (!endpoint) {
  console.error(
    `usage: npm run req -- <subject> ['<json>']\nsubjects: ${Object.values(endpoints)
      .map((e) => prefix + e.path)
      .join(', ')}`,
  );
  process.exit(2);
}
const localUrl = (): string | undefined => {
  try {
    return readFileSync(join(resolve(import.meta.dirname, '..'), '.local', 'nats.url'), 'utf8').trim();
  } catch {
    return undefined;
  }
};
const url = process.env.NATS_URL ?? localUrl();
const config = busConfigFromEnv({ ...process.env, NATS_URL: url }, 'cli');
const bus = await Bus.connect(
  { ...config, inboxPrefix: '_INBOX' },
  { logger: silentLogger(), registry: createMetricsRegistry('cli') },
  { waitForFirstServer: false },
).catch((err: unknown) => {
  const hint = process.env.NATS_URL ? '' : ' (is the local stack running? npm start)';
  console.error(
    `UNAVAILABLE: cannot reach NATS at ${url ?? 'the default URL'}${hint}: ${(err as Error).message}`,
  );
  process.exit(1);
});
try {
  // A listing answers in pages: each is printed as it arrives, and the next is asked for from its cursor.
  let request = JSON.parse(body) as Record<string, unknown>;
  for (;;) {
    const result: unknown = await bus.request(endpoint, request, { deadline: Date.now() + 30_000 });
    console.log(JSON.stringify(result, null, 2));
    const cursor = (result as { nextCursor?: unknown }).nextCursor;
    if (typeof cursor !== 'string') break;
    request = { ...request, cursor };
  }
} catch (err) {
  console.error(err instanceof RdsCsiError ? `${err.code}: ${err.message}` : err);
  process.exitCode = 1;
} finally {
  await bus.close();
}
