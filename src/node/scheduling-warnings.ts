import { SCHEDULING_ONLY_FIELDS } from '../manifests/index.js';
import type { Pod } from './pod-spec.js';

export { SCHEDULING_ONLY_FIELDS };

/**
 * One warning per scheduling-only field the pod sets: Berth accepts them (so the manifests stay
 * valid Kubernetes) but says they do nothing here, never silently.
 */
export function schedulingWarnings(pod: Pod): string[] {
  return SCHEDULING_ONLY_FIELDS.filter((f) => pod.spec[f] !== undefined).map(
    (f) => `spec.${f} has no effect on a single Docker host`,
  );
}
