import type { Controller } from './controller.js';

/** Namespace: phase Active while it exists (what `kubectl get namespace` shows). */
export const reconcileNamespace: Controller = async (deps, _ctx, { key }) => {
  const ns = await deps.store.get(key);
  if (!ns) return;
  if ((ns.status as { phase?: string } | undefined)?.phase !== 'Active')
    await deps.store.putStatus(key, { phase: 'Active' });
};
