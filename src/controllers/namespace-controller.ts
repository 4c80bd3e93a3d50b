import type { Result } from '../queue/index.js';
import type { Stored } from '../store/index.js';
import type { Controller, ControllerContext, ObjectRequest } from './controller.js';

/** Namespace: phase Active while it exists (what `kubectl get namespace` shows). */
export const namespaceController: Controller<'Namespace'> = {
  kind: 'Namespace',
  queue: 'reconcile',
  reconcile: reconcileNamespace,
};

async function reconcileNamespace(
  deps: ControllerContext,
  { key }: ObjectRequest,
  ns: Stored<'Namespace'> | undefined,
): Promise<Result | undefined> {
  if (!ns) return;
  if (ns.status?.phase !== 'Active') await deps.store.putStatus(key, { phase: 'Active' });
}
