import type { PodSpec } from './generated/k8s-objects.js';
import type { ManifestObject } from './manifest-object.js';

/** The pod a workload object runs: its spec, template labels and where they sit. */
export interface PodTemplate {
  spec: PodSpec;
  /** JSON Pointer of the PodSpec inside the object. */
  specPointer: string;
  /** Labels of the pods (template labels; a Pod's own labels). */
  labels: Record<string, string>;
  /** JSON Pointer of the template (or Pod) metadata. */
  metadataPointer: string;
}

/**
 * Where each kind that runs pods keeps its pod template (a Pod is its own): the one table of
 * these paths. The validation, the sync's config hash and the image updates walk it.
 */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/**
 * The pod template object of a workload (for a Pod, the Pod), read along
 * {@link POD_TEMPLATE_PATHS}; undefined when the kind runs no pods or a step is missing.
 */
export function podTemplateNode(object: {
  kind?: unknown;
  [field: string]: unknown;
}): Record<string, unknown> | undefined {
  const at = POD_TEMPLATE_PATHS[String(object.kind)];
  if (!at) return undefined;
  let node: unknown = object;
  for (const segment of at) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

/** True for the kinds that run pods. */
export function runsPods(kind: string): boolean {
  return kind in POD_TEMPLATE_PATHS;
}

/**
 * The pod template of a workload (`value` schema-valid, nulls stripped), or null when the
 * object runs no pods or lacks the template (`missing` then names the absent field's pointer).
 */
export function podTemplateOf(
  obj: ManifestObject,
  value: Record<string, unknown>,
): PodTemplate | { missing: string } | null {
  const at = POD_TEMPLATE_PATHS[obj.kind];
  if (!at) return null;
  let node: unknown = value;
  let ptr = '';
  for (const segment of at) {
    node = (node as Record<string, unknown> | undefined)?.[segment];
    ptr += `/${segment}`;
    if (node === undefined) return { missing: ptr };
  }
  const template = node as { metadata?: { labels?: Record<string, string> }; spec?: PodSpec };
  if (!template.spec) return { missing: `${ptr}/spec` };
  return {
    spec: template.spec,
    specPointer: `${ptr}/spec`,
    labels: template.metadata?.labels ?? {},
    metadataPointer: `${ptr}/metadata`,
  };
}
