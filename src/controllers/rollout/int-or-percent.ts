import { BerthError } from '../../util/berth-error.js';

/**
 * An IntOrString of a Deployment strategy (`maxSurge: 1`, `maxUnavailable: "25%"`) resolved
 * against the replica count; percentages round up or down as Kubernetes' `GetScaledValueFromIntOrPercent`.
 */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m)
    throw new BerthError(
      'InvalidIntOrPercent',
      `"${value}" is neither a number nor a percentage like "25%"`,
      { value },
    );
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * maxSurge and maxUnavailable of a rolling update for `replicas` pods, Kubernetes' fenceposts:
 * defaults 25% each, surge rounds up, unavailable rounds down, and both 0 makes unavailable 1 so
 * the rollout can move.
 */
export function resolveFenceposts(
  replicas: number,
  maxSurge: number | string = '25%',
  maxUnavailable: number | string = '25%',
): { maxSurge: number; maxUnavailable: number } {
  const surge = scaledValue(maxSurge, replicas, true);
  let unavailable = scaledValue(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: unavailable };
}
