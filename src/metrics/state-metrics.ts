import { Counter, Gauge, type Registry } from 'prom-client';
import { asKind, type SourceState, type StoredObject } from '../store/index.js';

/** Jobs per state of one queue (the queue's own counts; metrics sit below the queue). */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** What the stored-state metrics read at each scrape. */
export interface StateMetricsSource {
  /** Every source's state. */
  sources(): Promise<SourceState[]>;
  /** Every Pod in the store, with its status. */
  pods(): Promise<StoredObject[]>;
  /** Jobs per state of each queue, by queue name. */
  queues(): Promise<Record<string, QueueCounts>>;
}

const SYNC = ['Synced', 'OutOfSync', 'Syncing', 'Failed'] as const;
const HEALTH = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'] as const;
const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

/**
 * Registers the gauges read from stored state at each scrape (so every process reports the
 * same, whoever did the work): per source its info, sync status and health as state sets
 * (one series per state, 1 for the current), last sync time; per queue its depth, active and
 * failed jobs; per namespace pods by phase; per container its restarts.
 */
export function collectStateMetrics(registry: Registry, read: StateMetricsSource): void {
  let scrape:
    | Promise<{ sources: SourceState[]; pods: StoredObject[]; queues: Record<string, QueueCounts> }>
    | undefined;
  // One read of the state per scrape, shared by the gauges' collect().
  const snapshot = () => {
    scrape ??= Promise.all([read.sources(), read.pods(), read.queues()]).then(
      ([sources, pods, queues]) => ({ sources, pods, queues }),
    );
    const p = scrape;
    setImmediate(() => {
      if (scrape === p) scrape = undefined;
    });
    return p;
  };
  new Gauge({
    name: 'berth_source_info',
    help: 'A source: its repository, ref and applied revision (always 1).',
    labelNames: ['source', 'repo', 'ref', 'revision'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of (await snapshot()).sources)
        this.set({ source: s.name, repo: s.repo, ref: s.ref, revision: s.applied ?? '' }, 1);
    },
  });
  new Gauge({
    name: 'berth_source_sync_status',
    help: 'Sync status of a source as a state set: 1 for the current status, 0 for the others.',
    labelNames: ['source', 'berth_source_sync_status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of (await snapshot()).sources) {
        const current = s.sync === 'Synced' && s.target !== s.applied ? 'OutOfSync' : s.sync;
        for (const v of SYNC)
          this.set({ source: s.name, berth_source_sync_status: v }, v === current ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'berth_source_health_status',
    help: 'Health of a source as a state set: 1 for the current status, 0 for the others.',
    labelNames: ['source', 'berth_source_health_status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of (await snapshot()).sources) {
        const current = s.suspended ? 'Suspended' : s.health;
        for (const v of HEALTH)
          this.set({ source: s.name, berth_source_health_status: v }, v === current ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'berth_source_last_sync_timestamp_seconds',
    help: 'When the last sync of a source ran to completion, in seconds since the epoch.',
    labelNames: ['source'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of (await snapshot()).sources)
        if (s.lastSyncTime) this.set({ source: s.name }, Date.parse(s.lastSyncTime) / 1000);
    },
  });
  const queueGauge = (name: string, help: string, pick: (c: QueueCounts) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [queue, c] of Object.entries((await snapshot()).queues))
          this.set({ queue }, pick(c));
      },
    });
  queueGauge(
    'berth_queue_depth',
    'Keys waiting in a work queue (now or delayed: retries and requeues).',
    (c) => c.waiting + c.delayed,
  );
  queueGauge(
    'berth_queue_active',
    'Keys being reconciled now, across every process.',
    (c) => c.active,
  );
  queueGauge(
    'berth_queue_failed',
    'Keys whose reconcile failed for good (not retried).',
    (c) => c.failed,
  );
  new Gauge({
    name: 'berth_pods',
    help: 'Pods in the store by namespace and phase.',
    labelNames: ['namespace', 'phase'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const p of (await snapshot()).pods) {
        const phase = asKind('Pod', p).status?.phase ?? 'Pending';
        const key = `${p.metadata.namespace ?? ''}\n${PHASES.includes(phase as never) ? phase : 'Unknown'}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [key, n] of counts) {
        const [namespace = '', phase = ''] = key.split('\n');
        this.set({ namespace, phase }, n);
      }
    },
  });
  new Counter({
    name: 'berth_container_restarts_total',
    help: "Restarts of a pod's container (its status restartCount).",
    labelNames: ['namespace', 'pod', 'container'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of (await snapshot()).pods) {
        const statuses = asKind('Pod', p).status?.containerStatuses ?? [];
        for (const c of statuses) {
          const n = Number(c.restartCount ?? 0);
          this.inc(
            {
              namespace: p.metadata.namespace ?? '',
              pod: p.metadata.name,
              container: String(c.name),
            },
            Number.isFinite(n) ? n : 0,
          );
        }
      }
    },
  });
}
