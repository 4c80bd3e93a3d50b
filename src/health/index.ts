export { type AggregateHealth, aggregateHealth, type ObjectHealth } from './aggregate-health.js';
export {
  type HealthContext,
  hasHealthRule,
  type LiveObject,
  objectHealth,
} from './health-registry.js';
export { HEALTH_ORDER, type Health, type HealthStatus, isWorse } from './health-status.js';
