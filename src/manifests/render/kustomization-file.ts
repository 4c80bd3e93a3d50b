import { isMap } from './field-spec.js';
import { type ParsedFile, parseYamlFile, placeOf } from './parse-yaml.js';
import { RenderError } from './render-error.js';
import { joinPath, type RenderFiles } from './render-files.js';

/** The file names kustomize recognizes, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Every field of a Kustomization kustomize accepts (Go's JSON decoding matches them ignoring case). */
const FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'components',
  'crds',
  'bases',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'buildMetadata',
];
const BY_LOWER = new Map(FIELDS.map((f) => [f.toLowerCase(), f]));

/** A kustomization read from the repository, with what is needed to position its fields. */
export interface Kustomization {
  /** Directory (repository-relative) the kustomization's paths are relative to. */
  dir: string;
  /** Path of the kustomization file. */
  path: string;
  file: ParsedFile;
  /** Fields under their canonical names. */
  fields: Record<string, unknown>;
  /** The key each canonical field was written under (for positions). */
  keys: Record<string, string>;
}

/** Finds the kustomization file of `dir`; errors when none or several exist. */
export function findKustomization(files: RenderFiles, dir: string): string {
  const found = KUSTOMIZATION_NAMES.map((n) => joinPath(dir, n) as string).filter(
    (p) => files.read(p) !== undefined,
  );
  if (found.length > 1)
    throw new RenderError(`Found multiple kustomization files under: ${dir === '' ? '.' : dir}`);
  const [only] = found;
  if (only === undefined)
    throw new RenderError(
      `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir === '' ? '.' : dir}'`,
    );
  return only;
}

/** Reads and checks a kustomization file. */
export function readKustomization(files: RenderFiles, dir: string): Kustomization {
  const path = findKustomization(files, dir);
  const text = files.read(path) as string;
  const file = parseYamlFile(path, text, false);
  const docs = file.values.filter((v) => v !== null && v !== undefined);
  if (docs.length > 1)
    throw new RenderError(`${path}: a kustomization file holds one YAML document`);
  const raw = docs[0] ?? {};
  if (!isMap(raw)) throw new RenderError(`${path}: a kustomization must be a mapping`);
  const fields: Record<string, unknown> = {};
  const keys: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const canonical = BY_LOWER.get(key.toLowerCase());
    if (!canonical) {
      const p = placeOf(file, 0, `/${key}`);
      throw new RenderError(
        `invalid Kustomization: json: unknown field "${key}" (${path}:${p.line}:${p.column})`,
        p,
      );
    }
    fields[canonical] = value;
    keys[canonical] = key;
  }
  const k: Kustomization = { dir, path, file, fields, keys };
  refuseUnsupported(k);
  return k;
}

/** Where field `name` (and below it, `sub`) of a kustomization is written. */
export function fieldPlace(k: Kustomization, name: string, sub = '') {
  const key = k.keys[name] ?? name;
  return placeOf(k.file, 0, `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}${sub}`);
}

/** An error about field `name` of a kustomization, positioned at it. */
export function fieldError(
  k: Kustomization,
  name: string,
  sub: string,
  message: string,
): RenderError {
  const p = fieldPlace(k, name, sub);
  return new RenderError(`${message} (${p.file}:${p.line}:${p.column})`, p);
}

const REMOTE =
  /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/|oci:\/\/)|\?ref=|\/\/.*\?|^[a-z0-9.-]+\.[a-z]{2,}\/[^/]+\/[^/]+/i;

/** True for a remote base or resource (a URL or a `host/org/repo` address). */
export function isRemote(entry: string): boolean {
  return REMOTE.test(entry);
}

function refuseUnsupported(k: Kustomization): void {
  for (const helm of ['helmCharts', 'helmChartInflationGenerator', 'helmGlobals']) {
    if (k.fields[helm] !== undefined)
      throw fieldError(k, helm, '', `Helm charts are not supported by Berth (${helm})`);
  }
}
