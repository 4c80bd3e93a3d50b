import os from 'node:os';
import type {
  ConfigMapKeySelector,
  SecretKeySelector,
} from '../manifests/generated/k8s-objects.js';
import { type PodFacts, resolveFieldRef, resolveResourceFieldRef } from './field-ref.js';
import { podNamespace } from './names.js';
import { NodeError } from './node-error.js';
import type { ObjectLookup } from './node-options.js';
import type { Container, Pod } from './pod-spec.js';
import { secretData } from './secret-data.js';

/** The host's capacity, what an unset limit reads as in `resourceFieldRef`. */
export const HOST_CAPACITY = { cpu: os.cpus().length, memory: os.totalmem() };

/**
 * Builds a container's environment (`NAME=value` lines) as the kubelet does: `envFrom` sources
 * in order (with `prefix`), then `env` in order, later entries winning; `$(VAR)` references to
 * earlier variables are expanded and `$$` escapes. A missing ConfigMap, Secret or key that is
 * not `optional` throws `CreateContainerConfigError`.
 */
export async function resolveEnv(
  pod: Pod,
  container: Container,
  lookup: ObjectLookup,
  facts: PodFacts,
): Promise<string[]> {
  const ns = podNamespace(pod);
  const vars = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      // A reference without a name names "", as Kubernetes reads it.
      const cm = await lookup.configMap(ns, from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw missing('configmap', from.configMapRef.name ?? '', ns);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) vars.set(prefix + k, v);
    }
    if (from.secretRef) {
      const secret = await lookup.secret(ns, from.secretRef.name ?? '');
      if (!secret) {
        if (from.secretRef.optional) continue;
        throw missing('secret', from.secretRef.name ?? '', ns);
      }
      for (const [k, v] of Object.entries(secretData(secret)))
        vars.set(prefix + k, v.toString('utf8'));
    }
  }
  for (const env of container.env ?? []) {
    const value = await resolveValue(pod, container, env.name, env, lookup, facts, vars);
    if (value !== undefined) vars.set(env.name, value);
  }
  return [...vars].map(([k, v]) => `${k}=${v}`);
}

async function resolveValue(
  pod: Pod,
  container: Container,
  name: string,
  env: NonNullable<Container['env']>[number],
  lookup: ObjectLookup,
  facts: PodFacts,
  vars: Map<string, string>,
): Promise<string | undefined> {
  if (env.value !== undefined) return expand(env.value, vars);
  const from = env.valueFrom;
  if (!from) return '';
  if (from.fieldRef) return resolveFieldRef(pod, from.fieldRef, facts);
  if (from.resourceFieldRef)
    return resolveResourceFieldRef(pod, container, from.resourceFieldRef, HOST_CAPACITY);
  const ns = podNamespace(pod);
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const value = (await lookup.configMap(ns, ref.name ?? ''))?.data?.[ref.key];
    return value ?? absent('configmap', ref, ns, name);
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const secret = await lookup.secret(ns, ref.name ?? '');
    const value = secret ? secretData(secret)[ref.key] : undefined;
    return value?.toString('utf8') ?? absent('secret', ref, ns, name);
  }
  return '';
}

function absent(
  kind: string,
  ref: ConfigMapKeySelector | SecretKeySelector,
  ns: string,
  env: string,
): undefined {
  if (ref.optional) return undefined;
  throw new NodeError(
    'CreateContainerConfigError',
    `env ${env}: key "${ref.key}" of ${kind} "${ref.name}" in namespace ${ns} not found`,
    { kind, name: ref.name, key: ref.key, namespace: ns },
  );
}

function missing(kind: string, name: string, ns: string): NodeError {
  return new NodeError(
    'CreateContainerConfigError',
    `${kind} "${name}" not found in namespace ${ns}`,
    {
      kind,
      name,
      namespace: ns,
    },
  );
}

/** Kubernetes' `$(VAR)` expansion: defined variables are replaced, `$$` is a literal `$`. */
export function expand(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name: string | undefined) => {
    if (name === undefined) return '$';
    return vars.get(name) ?? all;
  });
}
