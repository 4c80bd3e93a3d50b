import { Registry } from 'prom-client';
import { registry } from './process-metrics.js';
import { collectStateMetrics, type StateMetricsSource } from './state-metrics.js';

/**
 * The text of `GET /metrics` for one running Berth: this process's counters and defaults, and
 * the stored-state gauges read through `read` at each scrape.
 */
export function metricsEndpoint(
  read: StateMetricsSource,
): () => Promise<{ contentType: string; text: string }> {
  const state = new Registry();
  collectStateMetrics(state, read);
  return async () => {
    const merged = Registry.merge([registry, state]);
    return { contentType: merged.contentType, text: await merged.metrics() };
  };
}
