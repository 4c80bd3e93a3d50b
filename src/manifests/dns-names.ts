// The name syntaxes of Kubernetes (k8s.io/apimachinery/pkg/util/validation), with its messages.

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why `value` is not a DNS-1123 label (at most 63 of a-z, 0-9, '-'), or null if it is one. */
export function dns1123LabelError(value: string): string | null {
  if (value.length > 63) return `must be no more than 63 characters (has ${value.length})`;
  if (!LABEL.test(value))
    return "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit";
  return null;
}

/** Why `value` is not a DNS-1123 subdomain (at most 253, dot-separated labels), or null. */
export function dns1123SubdomainError(value: string): string | null {
  if (value.length > 253) return `must be no more than 253 characters (has ${value.length})`;
  if (!SUBDOMAIN.test(value))
    return "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
  return null;
}

/** Why `key` is not a label or annotation key (`[prefix/]name`), or null if it is one. */
export function qualifiedNameError(key: string): string | null {
  const parts = key.split('/');
  if (parts.length > 2) return "must be a name with at most one '/' prefix separator";
  const name = parts.length === 2 ? (parts[1] as string) : key;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix === '') return 'prefix before "/" must not be empty';
    const err = dns1123SubdomainError(prefix);
    if (err) return `prefix "${prefix}" ${err}`;
  }
  if (name === '') return 'name part must not be empty';
  if (name.length > 63) return `name part must be no more than 63 characters (has ${name.length})`;
  if (!QUALIFIED_NAME.test(name))
    return "name part must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return null;
}

/** Why `value` is not a label value (at most 63, may be empty), or null. */
export function labelValueError(value: string): string | null {
  if (value.length > 63) return `must be no more than 63 characters (has ${value.length})`;
  if (!LABEL_VALUE.test(value))
    return "must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return null;
}

/** Why `value` is not a port name (IANA_SVC_NAME: at most 15, a-z 0-9 '-', a letter), or null. */
export function portNameError(value: string): string | null {
  if (value.length > 15) return `must be no more than 15 characters (has ${value.length})`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value))
    return "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
  if (value.includes('--')) return "must not contain '--'";
  if (!/[a-z]/.test(value)) return 'must contain at least one letter';
  return null;
}
