import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The metrics counted as things happen in this process, in one registry with the process
 * defaults (`process_*`, `nodejs_*`). Stored-state gauges are added at scrape time by
 * {@link collectStateMetrics}. One registry per process: every counter below is a module
 * singleton, incremented where the thing happens.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });
// Gauges whose names end in _total break Prometheus' naming rules (promtool rejects them).
for (const name of [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
])
  registry.removeSingleMetric(name);

/** Reconciles by kind (`Deployment`, `Source` for a sync...) and result (`success`, `retry`, `failure`). */
export const reconcileTotal = new Counter({
  name: 'berth_reconcile_total',
  help: 'Reconciles run by this process, by kind and result (success, retry, failure).',
  labelNames: ['kind', 'result'] as const,
  registers: [registry],
});

/** How long reconciles take, by kind. */
export const reconcileDuration = new Histogram({
  name: 'berth_reconcile_duration_seconds',
  help: 'Duration of the reconciles run by this process, by kind.',
  labelNames: ['kind'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

/** Webhook requests by provider (`github`, `gitlab`, `gitea`, `generic`, `unknown`) and HTTP status. */
export const webhookRequests = new Counter({
  name: 'berth_webhook_requests_total',
  help: 'Webhook requests answered, by provider and HTTP status code.',
  labelNames: ['provider', 'code'] as const,
  registers: [registry],
});

/** Revisions validated, by source and result (`valid`, `invalid`). */
export const revisionsTotal = new Counter({
  name: 'berth_revisions_total',
  help: 'Revisions this process validated, by source and result (valid, invalid).',
  labelNames: ['source', 'result'] as const,
  registers: [registry],
});

/** Revert commits made (automated and by hand, over the API), by source. */
export const rollbacksTotal = new Counter({
  name: 'berth_rollbacks_total',
  help: 'Rollbacks (revert commits) this process made, by source.',
  labelNames: ['source'] as const,
  registers: [registry],
});

/** Image update automation: commits made, tags skipped (rolled back), scans that failed. */
export const imageUpdatesTotal = new Counter({
  name: 'berth_image_updates_total',
  help: 'Image update automation by source, update and result (committed, skipped, failed).',
  labelNames: ['source', 'update', 'result'] as const,
  registers: [registry],
});

/** Probe attempts that failed, by probe (`liveness`, `readiness`, `startup`). */
export const probeFailures = new Counter({
  name: 'berth_probe_failures_total',
  help: 'Container probe attempts that failed on this node, by probe.',
  labelNames: ['probe'] as const,
  registers: [registry],
});

/** The kind a queue key stands for: `Source` for a sync key (`shop@<sha>`), else the key's kind. */
export function keyKind(queue: string, key: string): string {
  if (queue === 'sync') return 'Source';
  if (queue === 'rollback') return 'Rollback';
  const slash = key.indexOf('/');
  return slash > 0 ? key.slice(0, slash) : queue;
}
