import type { Result } from '../queue/index.js';
import type { StoredObject } from '../store/index.js';
import type { Controller, ControllerContext, ObjectRequest } from './controller.js';

/** Namespace: phase Active while it exists (what `kubectl get namespace` shows). */
export const namespaceController: Controller = {
  kind: 'Namespace',
  queue: 'reconcile',
  reconcile: reconcileNamespace,
};

async function reconcileNamespace(
  deps: ControllerContext,
  { key }: ObjectRequest,
  ns: StoredObject | undefined,
): Promise<Result | undefined> {
  if (!ns) return;
  if ((ns.status as { phase?: string } | undefined)?.phase !== 'Active')
    await deps.store.putStatus(key, { phase: 'Active' });
}
