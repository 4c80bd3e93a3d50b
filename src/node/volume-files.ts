import { dataKeyError, localPathError } from '../util/volume-paths.js';
import type { VolumeFile } from './atomic-writer.js';
import { HOST_CAPACITY } from './env.js';
import { type PodFacts, resolveFieldRef, resolveResourceFieldRef } from './field-ref.js';
import { NodeError } from './node-error.js';
import type { ConfigMap, DownwardAPIVolumeFile, KeyToPath, Pod, Secret } from './pod-spec.js';
import { secretData } from './secret-data.js';

/**
 * The files of a ConfigMap or Secret volume (or projection): every key, or only `items` (each
 * key must exist unless the source is `optional`), with `mode` or `defaultMode` (default 0644).
 */
export function keyFiles(
  source: { kind: 'configmap' | 'secret'; name: string; optional?: boolean },
  data: Record<string, Buffer> | undefined,
  items: KeyToPath[] | undefined,
  defaultMode: number,
): Record<string, VolumeFile> {
  if (!data) {
    if (source.optional) return {};
    throw new NodeError('CreateContainerConfigError', `${source.kind} "${source.name}" not found`, {
      kind: source.kind,
      name: source.name,
    });
  }
  const out: Record<string, VolumeFile> = {};
  if (!items) {
    for (const [k, v] of Object.entries(data))
      out[safeKey(source, k)] = { data: v, mode: defaultMode };
    return out;
  }
  for (const item of items) {
    const value = data[item.key];
    if (value === undefined) {
      if (source.optional) continue;
      throw new NodeError(
        'CreateContainerConfigError',
        `key "${item.key}" of ${source.kind} "${source.name}" not found`,
        { kind: source.kind, name: source.name, key: item.key },
      );
    }
    out[safeRelative(item.path)] = { data: value, mode: item.mode ?? defaultMode };
  }
  return out;
}

/** The files of a downwardAPI volume (or projection). */
export function downwardFiles(
  pod: Pod,
  items: DownwardAPIVolumeFile[] | undefined,
  defaultMode: number,
  facts: PodFacts,
): Record<string, VolumeFile> {
  const out: Record<string, VolumeFile> = {};
  for (const item of items ?? []) {
    const text = item.fieldRef
      ? resolveFieldRef(pod, item.fieldRef, facts)
      : item.resourceFieldRef
        ? resolveResourceFieldRef(pod, undefined, item.resourceFieldRef, HOST_CAPACITY)
        : '';
    out[safeRelative(item.path)] = { data: Buffer.from(text), mode: item.mode ?? defaultMode };
  }
  return out;
}

/** ConfigMap content as bytes (`data` and base64 `binaryData`). */
export function configMapData(cm: ConfigMap | undefined): Record<string, Buffer> | undefined {
  if (!cm) return undefined;
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) out[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}

/** Secret content as bytes, or undefined when there is no such Secret. */
export function secretBytes(secret: Secret | undefined): Record<string, Buffer> | undefined {
  return secret ? secretData(secret) : undefined;
}

/**
 * A data key as a file name: Kubernetes' rule, checked again here (validation checks it
 * first) because the node writes as root and must not trust what the store holds.
 */
function safeKey(source: { kind: string; name: string }, key: string): string {
  const err = dataKeyError(key);
  if (err)
    throw new NodeError(
      'CreateContainerConfigError',
      `${source.kind} "${source.name}": key ${JSON.stringify(key)} ${err}`,
      { kind: source.kind, name: source.name, key },
    );
  return key;
}

/** A relative path inside a volume; `..`, a leading `..`, empty segments and absolute paths are refused. */
function safeRelative(rel: string): string {
  const err = rel.split('/').includes('') ? 'must not be empty' : localPathError(rel, true);
  if (err) {
    throw new NodeError(
      'CreateContainerConfigError',
      `volume item path ${JSON.stringify(rel)} ${err}`,
      { path: rel },
    );
  }
  return rel;
}
