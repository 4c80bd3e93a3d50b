import { parse } from 'yaml';
import { DEFAULT_FIELD_SPECS } from './default-field-specs.js';
import { type FieldSpec, isMap, toFieldSpecs } from './field-spec.js';

/** Which fields refer to objects of one kind (kustomize's nameReference entry). */
export interface NameBackReference {
  group?: string;
  version?: string;
  kind: string;
  fieldSpecs: FieldSpec[];
}

/** The field specs every builtin transformer uses (kustomize's TransformerConfig). */
export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  commonLabels: FieldSpec[];
  templateLabels: FieldSpec[];
  /** Field specs every `labels:` entry writes to (a `labels:` list in `configurations`). */
  labels: FieldSpec[];
  volumeClaimTemplateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  namespace: FieldSpec[];
  varReference: FieldSpec[];
  nameReference: NameBackReference[];
  images: FieldSpec[];
  replicas: FieldSpec[];
}

const LISTS = [
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'templateLabels',
  'labels',
  'volumeClaimTemplateLabels',
  'commonAnnotations',
  'namespace',
  'varReference',
  'images',
  'replicas',
] as const;

/** Reads a `configurations:` file (same shape as the defaults); missing lists are empty. */
export function parseTransformerConfig(raw: unknown): TransformerConfig {
  const m = isMap(raw) ? raw : {};
  const config = emptyConfig();
  for (const key of LISTS) config[key] = toFieldSpecs(m[key]);
  if (Array.isArray(m.nameReference)) {
    for (const entry of m.nameReference) {
      if (!isMap(entry)) continue;
      config.nameReference.push({
        group: typeof entry.group === 'string' ? entry.group : undefined,
        version: typeof entry.version === 'string' ? entry.version : undefined,
        kind: typeof entry.kind === 'string' ? entry.kind : '',
        fieldSpecs: toFieldSpecs(entry.fieldSpecs),
      });
    }
  }
  return config;
}

export function emptyConfig(): TransformerConfig {
  return {
    namePrefix: [],
    nameSuffix: [],
    commonLabels: [],
    templateLabels: [],
    labels: [],
    volumeClaimTemplateLabels: [],
    commonAnnotations: [],
    namespace: [],
    varReference: [],
    nameReference: [],
    images: [],
    replicas: [],
  };
}

let defaults: TransformerConfig | undefined;

/**
 * Kustomize's default configuration, parsed once and shared: configurations are values,
 * never changed in place ({@link mergeConfig} makes a new one).
 */
export function defaultConfig(): TransformerConfig {
  defaults ??= parseTransformerConfig(parse(DEFAULT_FIELD_SPECS));
  return defaults;
}

/** Adds field specs not already present (kustomize's FsSlice.MergeAll). */
export function mergeSpecs(into: FieldSpec[], more: readonly FieldSpec[]): FieldSpec[] {
  const out = [...into];
  const seen = new Set(out.map(specKey));
  for (const fs of more) {
    const key = specKey(fs);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fs);
  }
  return out;
}

function specKey(fs: FieldSpec): string {
  return `${fs.group ?? ''}|${fs.version ?? ''}|${fs.kind ?? ''}|${fs.path}`;
}

/** The union of two configurations. */
export function mergeConfig(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  if (a === b) return a;
  const out = emptyConfig();
  for (const key of LISTS) out[key] = mergeSpecs(a[key], b[key]);
  out.nameReference = a.nameReference.map((r) => ({ ...r, fieldSpecs: [...r.fieldSpecs] }));
  for (const ref of b.nameReference) {
    const existing = out.nameReference.find(
      (r) =>
        r.kind === ref.kind &&
        (r.group ?? '') === (ref.group ?? '') &&
        (r.version ?? '') === (ref.version ?? ''),
    );
    if (existing) existing.fieldSpecs = mergeSpecs(existing.fieldSpecs, ref.fieldSpecs);
    else out.nameReference.push({ ...ref, fieldSpecs: [...ref.fieldSpecs] });
  }
  return out;
}
