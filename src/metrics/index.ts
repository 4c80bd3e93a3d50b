export { metricsEndpoint } from './metrics-endpoint.js';
export {
  imageUpdatesTotal,
  keyKind,
  probeFailures,
  reconcileDuration,
  reconcileTotal,
  registry,
  revisionsTotal,
  rollbacksTotal,
  webhookRequests,
} from './process-metrics.js';
export { collectStateMetrics, type StateMetricsSource } from './state-metrics.js';
