import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, METRIC_PREFIX, createMetricsRegistry, metricOnce } from '../src/index.js';

const name = `${METRIC_PREFIX}test_events_total`;

function eventsCounter(registry: ReturnType<typeof createMetricsRegistry>): Counter {
  return metricOnce(registry, name, (registers) => new Counter({ name, help: 'events', registers }));
}

test('metricOnce creates a metric once per registry and returns it on later calls', async () => {
  const registry = createMetricsRegistry('svc');
  const first = eventsCounter(registry);
  first.inc();
  const second = eventsCounter(registry);
  assert.equal(second, first);
  second.inc();
  const text = await registry.metrics();
  assert.match(text, new RegExp(`^${name}\\{service="svc"\\} 2$`, 'm'));
});

test('metricOnce on another registry creates a separate metric', () => {
  const a = eventsCounter(createMetricsRegistry('a'));
  const b = eventsCounter(createMetricsRegistry('b'));
  assert.notEqual(a, b);
});

test('a service registry carries process metrics under the project prefix', async () => {
  const text = await createMetricsRegistry('svc').metrics();
  assert.match(text, new RegExp(`^${METRIC_PREFIX}process_cpu_user_seconds_total\\{service="svc"\\}`, 'm'));
});
