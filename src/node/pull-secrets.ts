import { type CredentialSource, PULL_SECRET_TYPES, parseDockerConfig } from '../images/index.js';
import { podNamespace } from './names.js';
import type { ObjectLookup } from './node-options.js';
import type { Pod } from './pod-spec.js';
import { secretData } from './secret-data.js';

/** The credentials of a pod's imagePullSecrets, and why some could not be used. */
export interface PodPullSecrets {
  sources: CredentialSource[];
  /** Secrets missing or unusable (named, never their content): the kubelet's FailedToRetrieveImagePullSecret. */
  unusable: string[];
}

/**
 * Reads the pod's imagePullSecrets in order, as the kubelet does: a Secret of type
 * `kubernetes.io/dockerconfigjson` (key `.dockerconfigjson`) or `kubernetes.io/dockercfg` (key
 * `.dockercfg`); a missing Secret, another type or an unparsable file is left out (the pull
 * goes on without it) and named in `unusable`.
 */
export async function podPullSecrets(pod: Pod, lookup: ObjectLookup): Promise<PodPullSecrets> {
  const namespace = podNamespace(pod);
  const sources: CredentialSource[] = [];
  const unusable: string[] = [];
  for (const ref of pod.spec.imagePullSecrets ?? []) {
    if (!ref?.name) continue;
    const secret = await lookup.secret(namespace, ref.name);
    const kind = secret ? PULL_SECRET_TYPES[secret.type ?? ''] : undefined;
    const text = secret && kind ? secretData(secret)[kind.key]?.toString('utf8') : undefined;
    if (!secret || !kind || !text) {
      unusable.push(
        !secret
          ? `"${ref.name}" (not found)`
          : !kind
            ? `"${ref.name}" (type "${secret.type ?? 'Opaque'}" is not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg)`
            : `"${ref.name}" (no key ${kind.key})`,
      );
      continue;
    }
    const parsed = parseDockerConfig(text, kind.format);
    if (parsed.problems.length) unusable.push(`"${ref.name}" (${kind.key} ${parsed.problems[0]})`);
    sources.push({ origin: `Secret ${namespace}/${ref.name}`, auths: parsed.auths });
  }
  return { sources, unusable };
}
