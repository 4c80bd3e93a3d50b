import { type ObjectStore, storeKey } from '../store/index.js';
import { selectorMatches } from './endpoint-subsets.js';

/**
 * The keys of the Services in a pod's namespace whose selector matches the pod: what the node
 * role enqueues when a pod's status (IP, readiness) changed, so that its endpoints follow.
 */
export async function servicesSelecting(
  store: ObjectStore,
  pod: { metadata: { namespace?: string; labels?: Record<string, string> } },
): Promise<string[]> {
  const namespace = pod.metadata.namespace ?? '';
  const services = await store.list('Service', namespace);
  return services
    .filter((s) => selectorMatches(s.spec?.selector, pod.metadata.labels))
    .map(storeKey);
}
