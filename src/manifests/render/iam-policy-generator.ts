import { isMap } from './field-spec.js';

/**
 * kustomize's builtin IAMPolicyGenerator (a generator config, no code run): for
 * `cloud: gke`, a ServiceAccount annotated with the Google service account it impersonates
 * (Workload Identity). Other clouds are refused as kustomize does.
 */
export function iamPolicyResources(
  cfg: Record<string, unknown>,
): { value: Record<string, unknown> } | { error: string } {
  const cloud = typeof cfg.cloud === 'string' ? cfg.cloud : '';
  if (cloud !== 'gke') return { error: `cloud provider ${cloud} not supported yet` };
  const ks = isMap(cfg.kubernetesService) ? cfg.kubernetesService : {};
  const sa = isMap(cfg.serviceAccount) ? cfg.serviceAccount : {};
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const metadata: Record<string, unknown> = {
    annotations: {
      'iam.gke.io/gcp-service-account': `${str(sa.name)}@${str(sa.projectId)}.iam.gserviceaccount.com`,
    },
    name: str(ks.name),
  };
  if (str(ks.namespace) !== '') metadata.namespace = str(ks.namespace);
  return { value: { apiVersion: 'v1', kind: 'ServiceAccount', metadata } };
}
