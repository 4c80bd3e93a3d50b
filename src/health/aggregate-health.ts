import { type Health, type HealthStatus, isWorse } from './health-status.js';

/** One object's verdict inside a set (a source, a revision). */
export interface ObjectHealth {
  /** `Kind/namespace/name`; the namespace is empty for cluster-scoped kinds (`Namespace//shop`). */
  key: string;
  health: Health;
}

/** The health of a set: its worst member, and which objects are at fault. */
export interface AggregateHealth {
  status: HealthStatus;
  /** The objects whose status is the aggregate's, when that is not Healthy; empty when Healthy. */
  atFault: ObjectHealth[];
  /** `<key>: <reason>: <message>` of the first object at fault, for status lines. */
  message?: string;
}

/** Aggregates verdicts: the set is as healthy as its worst object; an empty set is Healthy. */
export function aggregateHealth(items: readonly ObjectHealth[]): AggregateHealth {
  let status: HealthStatus = 'Healthy';
  for (const item of items) if (isWorse(item.health.status, status)) status = item.health.status;
  if (status === 'Healthy') return { status, atFault: [] };
  const atFault = items.filter((i) => i.health.status === status);
  const first = atFault[0] as ObjectHealth;
  const detail = [first.health.reason, first.health.message].filter(Boolean).join(': ');
  return { status, atFault, message: `${first.key}${detail ? `: ${detail}` : ''}` };
}
