import { PULL_SECRET_TYPES, parseDockerConfig } from '../images/index.js';
import type { ManifestObject } from './manifest-object.js';
import type { PodCheckContext } from './pod-check-context.js';
import type { Reporter } from './reporter.js';

/**
 * Checks a `kubernetes.io/dockerconfigjson` or `kubernetes.io/dockercfg` Secret as Kubernetes
 * validates it (the type's key is present and holds JSON) and as the kubelet reads it (the
 * shape of the file, each entry's `auth` or username and password). Errors are positioned at
 * the key and describe the problem without quoting any of the value.
 */
export function checkPullSecret(
  report: Reporter,
  obj: ManifestObject,
  value: Record<string, unknown>,
): void {
  const kind = PULL_SECRET_TYPES[String(value.type ?? '')];
  if (!kind) return;
  const data = (value.data ?? {}) as Record<string, unknown>;
  const stringData = (value.stringData ?? {}) as Record<string, unknown>;
  const inString = typeof stringData[kind.key] === 'string';
  const raw = inString ? stringData[kind.key] : data[kind.key];
  const ptr = `/${inString ? 'stringData' : 'data'}/${kind.key}`;
  if (typeof raw !== 'string' || raw === '') {
    report.error(
      obj,
      '/type',
      'secret',
      `a Secret of type ${value.type} needs the key "${kind.key}" in data or stringData`,
    );
    return;
  }
  const text = inString ? raw : Buffer.from(raw, 'base64').toString('utf8');
  const { problems } = parseDockerConfig(text, kind.format);
  for (const problem of problems) report.error(obj, ptr, 'secret', `${kind.key} ${problem}`, true);
}

/**
 * Checks a pod spec's imagePullSecrets against the revision, with warnings only, because the
 * kubelet pulls without a pull secret it cannot use: one that is missing, or whose type is
 * not a registry-credential type (the kubelet ignores it).
 */
export function checkImagePullSecrets(
  ctx: PodCheckContext,
  at: string,
  refs: ReadonlyArray<{ name?: string }> | undefined,
): void {
  (refs ?? []).forEach((ref, i) => {
    const ptr = `${at}/imagePullSecrets/${i}/name`;
    if (!ref.name) {
      ctx.report.warning(
        ctx.obj,
        `${at}/imagePullSecrets/${i}`,
        'reference',
        'names no Secret: it is ignored',
      );
      return;
    }
    const secret = ctx.index.get('Secret', ctx.obj.namespace, ref.name);
    if (!secret) {
      if (ctx.index.exists('Secret', ctx.obj.namespace, ref.name)) return; // has its own errors
      ctx.report.warning(
        ctx.obj,
        ptr,
        'reference',
        `Secret "${ref.name}" does not exist in namespace "${ctx.obj.namespace}" of this revision: images are pulled without it`,
      );
      return;
    }
    const type = String(secret.value.type ?? 'Opaque');
    if (!PULL_SECRET_TYPES[type])
      ctx.report.warning(
        ctx.obj,
        ptr,
        'reference',
        `Secret "${ref.name}" has type ${type}: only kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg Secrets hold registry credentials, so it is ignored`,
      );
  });
}
