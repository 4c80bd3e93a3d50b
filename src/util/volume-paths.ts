// Kubernetes' rules for names that become files in a volume (apimachinery's IsConfigMapKey and
// the API server's validateLocalDescendingPath / ValidateLocalNonReservedPath). Shared by
// validation (positioned errors) and the node (which refuses again before writing a file).

const KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_KEY = 253;

/** Why `key` cannot be a ConfigMap/Secret data key (a file name in a volume), or undefined. */
export function dataKeyError(key: string): string | undefined {
  if (key.length === 0) return 'must not be empty';
  if (key.length > MAX_KEY) return `must be no more than ${MAX_KEY} characters`;
  if (!KEY.test(key))
    return "must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name')";
  if (key === '.') return "must not be '.'";
  if (key === '..') return "must not be '..'";
  if (key.startsWith('..')) return "must not start with '..'";
  return undefined;
}

/**
 * Why `rel` cannot be a path inside a volume (`subPath`, `items[].path`), or undefined: it must
 * be relative and hold no `..` element. `reserved` (items' paths) also refuses a leading `..`,
 * which the atomic writer keeps for its own `..data` and `..<hash>` entries.
 */
export function localPathError(rel: string, reserved = false): string | undefined {
  if (rel.startsWith('/')) return 'must be a relative path';
  if (rel.split('/').includes('..')) return "must not contain '..'";
  if (reserved && rel.startsWith('..')) return "must not start with '..'";
  return undefined;
}
