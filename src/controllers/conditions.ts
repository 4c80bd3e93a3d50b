/** The fields of a status condition the transition rule reads. */
export interface TimedCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

/**
 * When a condition whose status is now `status` last changed: the previous condition's
 * `lastTransitionTime` while its status holds, else `now` (apimachinery's
 * meta.SetStatusCondition rule, the one place Berth keeps it).
 */
export function transitionTime(
  before: Pick<TimedCondition, 'status' | 'lastTransitionTime'> | undefined,
  status: string,
  now: string,
): string {
  return before && before.status === status && before.lastTransitionTime
    ? before.lastTransitionTime
    : now;
}

/**
 * Sets `next` in `conditions` (replacing the one of its type, else appending), its
 * `lastTransitionTime` by {@link transitionTime}. Returns a new list.
 */
export function setCondition<C extends TimedCondition>(
  conditions: readonly C[] | undefined,
  next: Omit<C, 'lastTransitionTime'>,
  now: string,
): C[] {
  const out = [...(conditions ?? [])];
  const i = out.findIndex((c) => c.type === next.type);
  const condition = {
    ...next,
    lastTransitionTime: transitionTime(out[i], next.status, now),
  } as C;
  if (i < 0) out.push(condition);
  else out[i] = condition;
  return out;
}
