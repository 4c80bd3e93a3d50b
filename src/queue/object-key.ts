import { objectKey } from '../util/object-key.js';
import { InvalidKeyError } from './invalid-key-error.js';

/** The identity of one Kubernetes object: what a reconcile job carries, and all it carries. */
export interface ObjectKey {
  /** The kind, as in manifests: `Deployment`, `ConfigMap`, `Namespace`. */
  kind: string;
  /** The namespace; empty for cluster-scoped kinds (`Namespace`). */
  namespace: string;
  /** `metadata.name`. */
  name: string;
}

const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
const NAMESPACE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)?$/;
const NAME = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;

/**
 * The queue key of an object: `kind/namespace/name`, e.g. `Deployment/default/web`, and
 * `Namespace//shop` for a cluster-scoped object. Throws InvalidKeyError on a part that could
 * not appear in a valid manifest.
 */
export function formatObjectKey(key: ObjectKey): string {
  const text = objectKey(key.kind, key.namespace, key.name);
  checkParts(key, text);
  return text;
}

/** The inverse of {@link formatObjectKey}; throws InvalidKeyError on anything else. */
export function parseObjectKey(text: string): ObjectKey {
  const parts = text.split('/');
  if (parts.length !== 3) {
    throw new InvalidKeyError(
      `"${text}" is not an object key: expected kind/namespace/name (namespace empty for cluster-scoped kinds)`,
      { key: text },
    );
  }
  const [kind, namespace, name] = parts as [string, string, string];
  const key = { kind, namespace, name };
  checkParts(key, text);
  return key;
}

function checkParts(key: ObjectKey, text: string): void {
  const bad = (field: string, expected: string) =>
    new InvalidKeyError(`object key "${text}": ${field} must be ${expected}`, {
      key: text,
      field,
    });
  if (!KIND.test(key.kind)) throw bad('kind', 'a kind name like Deployment');
  if (!NAMESPACE.test(key.namespace)) {
    throw bad('namespace', 'empty or a DNS label (lowercase letters, digits, "-", at most 63)');
  }
  if (!NAME.test(key.name)) {
    throw bad('name', 'a DNS subdomain (lowercase letters, digits, "-", ".", at most 253)');
  }
}
