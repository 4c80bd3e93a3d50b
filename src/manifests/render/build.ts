import { type FieldSpec, isMap, toFieldSpecs } from './field-spec.js';
import { generate, runGenerators } from './generators.js';
import { iamPolicyResources } from './iam-policy-generator.js';
import { setImages, toImageRules } from './images-transformer.js';
import { applyJsonPatch, toJsonPatch } from './json-patch.js';
import {
  fieldError,
  isRemote,
  type Kustomization,
  readKustomization,
} from './kustomization-file.js';
import { addMapEntries, stringMap } from './metadata-transformers.js';
import { contentHash } from './name-hash.js';
import { fixNameReferences } from './name-reference.js';
import { addNameAffix } from './name-transformers.js';
import { setNamespace } from './namespace-transformer.js';
import { BUILTIN_OPENAPI_VERSION, type CustomSchema, parseCustomSchema } from './openapi-schema.js';
import { objectsOf, parseYamlFile } from './parse-yaml.js';
import { RenderError } from './render-error.js';
import { isWithin, joinPath, type RenderFiles, type RenderLimits } from './render-files.js';
import { applyReplacements, toReplacements } from './replacements.js';
import { setReplicas } from './replicas-transformer.js';
import {
  curId,
  curIdKey,
  effectiveNamespace,
  gvkOf,
  idString,
  kindOf,
  metaOf,
  nameOf,
  namespaceOf,
  type Resource,
  storePreviousId,
} from './resource.js';
import { selectResources, toSelector } from './select-targets.js';
import { strategicMerge } from './strategic-merge.js';
import {
  defaultConfig,
  mergeConfig,
  mergeSpecs,
  parseTransformerConfig,
  type TransformerConfig,
} from './transformer-config.js';
import { bindVars, resolveVars, toVars, type Var } from './vars.js';

interface Accumulator {
  resources: Resource[];
  config: TransformerConfig;
  vars: Var[];
}

interface BuildContext {
  files: RenderFiles;
  limits: Required<RenderLimits>;
  /** Kustomization directories being built, outermost first (cycle and depth checks). */
  stack: string[];
  /** The built directory when `buildMetadata: [originAnnotations]` is on. */
  originTop?: string;
  /** The built directory when `buildMetadata: [transformerAnnotations]` is on. */
  transformTop?: string;
  /** The build's OpenAPI choice (kustomize's global schema: the top, else the first base). */
  openapi: { set: boolean; custom?: CustomSchema };
}

const ORIGIN = 'config.kubernetes.io/origin';
const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

function relative(top: string, p: string): string {
  const from = top === '' ? [] : top.split('/');
  const to = p.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

function annotate(r: Resource, text: string): void {
  const meta = metaOf(r);
  meta.annotations = { ...(isMap(meta.annotations) ? meta.annotations : {}), [ORIGIN]: text };
}

const TRANSFORMATIONS = 'alpha.config.kubernetes.io/transformations';

/**
 * `buildMetadata: [transformerAnnotations]`: after each builtin transformer a kustomization
 * configures, every resource of the accumulation records it (kustomize's multiTransformer
 * adds the transformer's origin to all resources, changed or not).
 */
function noteTransformer(
  ctx: BuildContext,
  k: Kustomization,
  acc: Accumulator,
  kind: string,
): void {
  if (ctx.transformTop === undefined) return;
  const entry = `- configuredIn: ${relative(ctx.transformTop, k.path)}\n  configuredBy:\n    apiVersion: builtin\n    kind: ${kind}\n`;
  for (const r of acc.resources) {
    const meta = metaOf(r);
    const annotations = isMap(meta.annotations) ? meta.annotations : {};
    const before =
      typeof annotations[TRANSFORMATIONS] === 'string' ? annotations[TRANSFORMATIONS] : '';
    meta.annotations = { ...annotations, [TRANSFORMATIONS]: before + entry };
  }
}

function generatorOrigin(ctx: BuildContext, r: Resource, file: string, name?: string): void {
  if (ctx.originTop === undefined) return;
  const by = `configuredBy:\n  apiVersion: builtin\n  kind: ${kindOf(r)}Generator\n${name ? `  name: ${name}\n` : ''}`;
  annotate(r, `configuredIn: ${relative(ctx.originTop, file)}\n${by}`);
}

/**
 * Builds the kustomization in `dir` as `kustomize build --reorder none` does and returns the
 * resources in output order. Every file comes through `files` (decryption hooks there).
 */
export function buildKustomization(
  files: RenderFiles,
  dir: string,
  limits: RenderLimits = {},
): Resource[] {
  const ctx: BuildContext = {
    files,
    limits: { maxFileBytes: 1024 * 1024, maxDepth: 32, maxResources: 10_000, ...limits },
    stack: [],
    openapi: { set: false },
  };
  const k = readKustomization(files, dir);
  setSchema(ctx, k, true);
  const meta = k.fields.buildMetadata;
  if (Array.isArray(meta) && meta.includes('originAnnotations')) ctx.originTop = dir;
  if (Array.isArray(meta) && meta.includes('transformerAnnotations')) ctx.transformTop = dir;
  const acc = accumulateTarget(ctx, k, { resources: [], config: defaultConfig(), vars: [] });
  // Top level only: hash suffixes, then name references (kustomize's makeCustomizedResMap).
  for (const r of acc.resources) {
    if (!r.needsHash) continue;
    storePreviousId(r);
    metaOf(r).name = `${nameOf(r)}-${contentHash(r.value)}`;
  }
  fixNameReferences(acc.resources, acc.config);
  resolveVars(acc.resources, acc.vars, acc.config.varReference);
  // Local configuration (`config.kubernetes.io/local-config` other than "false") served as
  // a reference source only; kustomize drops it from the output (IgnoreLocal).
  return acc.resources.filter((r) => {
    const annotations = metaOf(r).annotations;
    return (
      !isMap(annotations) ||
      annotations[LOCAL_CONFIG] === undefined ||
      annotations[LOCAL_CONFIG] === 'false'
    );
  });
}

function accumulateTarget(ctx: BuildContext, k: Kustomization, acc: Accumulator): Accumulator {
  if (ctx.stack.includes(k.dir))
    throw new RenderError(
      `cycle in kustomizations: ${[...ctx.stack, k.dir].map((d) => d || '.').join(' -> ')}`,
    );
  if (ctx.stack.length >= ctx.limits.maxDepth)
    throw new RenderError(
      `kustomizations nest deeper than ${ctx.limits.maxDepth} levels at ${k.path}`,
    );
  ctx.stack.push(k.dir);
  try {
    return accumulate(ctx, k, acc);
  } catch (e) {
    if (e instanceof RenderError && !e.chain.includes(k.path)) e.chain.unshift(k.path);
    throw e;
  } finally {
    ctx.stack.pop();
  }
}

function list(k: Kustomization, field: string): unknown[] {
  const v = k.fields[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw fieldError(k, field, '', `${field} must be a list`);
  return v;
}

function accumulate(ctx: BuildContext, k: Kustomization, acc: Accumulator): Accumulator {
  const entries = [...list(k, 'resources'), ...list(k, 'bases')];
  entries.forEach((entry, i) => {
    const field = i < list(k, 'resources').length ? 'resources' : 'bases';
    const at = `/${field === 'resources' ? i : i - list(k, 'resources').length}`;
    accumulateResource(ctx, k, acc, String(entry), field, at);
  });
  for (const [i, c] of list(k, 'configurations').entries()) {
    const text = readInRoot(ctx, k, String(c), 'configurations', `/${i}`);
    acc.config = mergeConfig(
      acc.config,
      parseTransformerConfig(parseYamlFile(String(c), text).values[0]),
    );
  }
  for (const [i, c] of list(k, 'crds').entries()) readInRoot(ctx, k, String(c), 'crds', `/${i}`);
  // Generators.
  for (const g of runGenerators(k, ctx.files)) {
    generatorOrigin(ctx, g, k.path);
    absorb(acc, g);
  }
  for (const [i, entry] of list(k, 'generators').entries()) {
    for (const cfg of pluginConfigs(ctx, k, 'generators', entry, i)) {
      if (cfg.kind === 'IAMPolicyGenerator') {
        const made = iamPolicyResources(cfg);
        if ('error' in made) throw fieldError(k, 'generators', `/${i}`, made.error);
        const r: Resource = {
          value: made.value,
          origin: { file: configFile(k, entry), docIndex: 0, pointer: '', kustomization: k.path },
          prevIds: [],
          prefixes: [],
          suffixes: [],
        };
        const cfgMeta = isMap(cfg.metadata) ? cfg.metadata : {};
        generatorOrigin(
          ctx,
          r,
          configFile(k, entry),
          typeof cfgMeta.name === 'string' ? cfgMeta.name : undefined,
        );
        appendResource(acc, r);
        continue;
      }
      if (cfg.kind !== 'ConfigMapGenerator' && cfg.kind !== 'SecretGenerator')
        throw fieldError(
          k,
          'generators',
          `/${i}`,
          `generator plugin ${String(cfg.kind)} is not supported by Berth`,
        );
      const g = generate(
        k,
        ctx.files,
        cfg.kind === 'SecretGenerator' ? 'Secret' : 'ConfigMap',
        cfg,
        undefined,
        `/${i}`,
        'generators',
      );
      const cfgMeta = isMap(cfg.metadata) ? cfg.metadata : {};
      generatorOrigin(
        ctx,
        g,
        configFile(k, entry),
        typeof cfgMeta.name === 'string' ? cfgMeta.name : undefined,
      );
      absorb(acc, g);
    }
  }
  // Components.
  for (const [i, c] of list(k, 'components').entries()) {
    const dir = joinPath(k.dir, String(c));
    if (dir === null)
      throw fieldError(
        k,
        'components',
        `/${i}`,
        `component '${String(c)}' is outside the repository`,
      );
    const sub = readKustomization(ctx.files, dir);
    setSchema(ctx, sub, false);
    if (sub.fields.kind !== 'Component')
      throw fieldError(
        k,
        'components',
        `/${i}`,
        `expected kind 'Component' for path '${dir}' but got '${String(sub.fields.kind ?? 'Kustomization')}'`,
      );
    acc = accumulateTarget(ctx, sub, acc);
  }
  runTransformers(ctx, k, acc);
  bindVars(acc.resources, toVars(k.fields.vars), acc.vars);
  if (acc.resources.length > ctx.limits.maxResources)
    throw new RenderError(`more than ${ctx.limits.maxResources} resources in the build`);
  return acc;
}

/**
 * `openapi:` as kustomize's SetSchema: the top kustomization's choice wins (`reset`), else
 * the first base or component that has one. `path` loads a custom schema (root-restricted),
 * `version` picks a built-in one (only v1.21.2 exists); both at once is an error.
 */
function setSchema(ctx: BuildContext, k: Kustomization, reset: boolean): void {
  if (ctx.openapi.set && !reset) return;
  const field = k.fields.openapi;
  if (field === undefined || field === null) {
    if (reset) ctx.openapi = { set: false };
    return;
  }
  if (!isMap(field)) throw fieldError(k, 'openapi', '', 'openapi must be a mapping');
  if (field.path !== undefined) {
    const rel = String(field.path);
    const text = readInRoot(ctx, k, rel, 'openapi', '/path');
    if (field.version !== undefined)
      throw fieldError(
        k,
        'openapi',
        '/version',
        'builtin version and custom schema provided, cannot use both',
      );
    const path = joinPath(k.dir, rel) ?? rel;
    ctx.openapi = {
      set: true,
      custom: parseCustomSchema(parseYamlFile(path, text).values[0], path),
    };
    return;
  }
  const version = field.version === undefined ? '' : String(field.version);
  if (version === '') {
    ctx.openapi = { set: false };
    return;
  }
  if (version !== BUILTIN_OPENAPI_VERSION)
    throw fieldError(k, 'openapi', '/version', 'the specified OpenAPI version is not built in');
  ctx.openapi = { set: true };
}

function readInRoot(
  ctx: BuildContext,
  k: Kustomization,
  rel: string,
  field: string,
  at: string,
): string {
  if (isRemote(rel))
    throw fieldError(k, field, at, `remote file '${rel}' is not supported by Berth (no network)`);
  const path = joinPath(k.dir, rel);
  if (path === null || !isWithin(path, k.dir))
    throw fieldError(k, field, at, `security; file '${rel}' is not in or below '${k.dir || '.'}'`);
  const text = ctx.files.read(path);
  if (text === undefined) throw fieldError(k, field, at, `'${path}' doesn't exist`);
  return text;
}

function accumulateResource(
  ctx: BuildContext,
  k: Kustomization,
  acc: Accumulator,
  entry: string,
  field: string,
  at: string,
): void {
  if (isRemote(entry))
    throw fieldError(
      k,
      field,
      at,
      `remote resource '${entry}' is not supported by Berth (no network): vendor it into the repository`,
    );
  const path = joinPath(k.dir, entry);
  if (path === null) throw fieldError(k, field, at, `'${entry}' is outside the repository`);
  const text = ctx.files.read(path);
  if (text !== undefined) {
    if (!isWithin(path, k.dir))
      throw fieldError(
        k,
        field,
        at,
        `security; file '${entry}' is not in or below '${k.dir || '.'}'`,
      );
    const file = parseYamlFile(path, text);
    const loaded: Resource[] = [];
    for (const o of objectsOf(file)) {
      if (o.value.kind === 'Kustomization' || o.value.kind === 'Component')
        throw fieldError(
          k,
          field,
          at,
          `'${entry}' is a kustomization file: list its directory instead`,
        );
      const r: Resource = {
        value: o.value,
        origin: { file: path, docIndex: o.docIndex, pointer: o.pointer, kustomization: k.path },
        prevIds: [],
        prefixes: [],
        suffixes: [],
      };
      if (ctx.originTop !== undefined) annotate(r, `path: ${relative(ctx.originTop, path)}\n`);
      loaded.push(r);
    }
    appendResources(acc, loaded);
    return;
  }
  if (!ctx.files.isDirectory(path))
    throw fieldError(k, field, at, `accumulating resources: '${path || '.'}' doesn't exist`);
  const sub = readKustomization(ctx.files, path);
  setSchema(ctx, sub, false);
  if (sub.fields.kind === 'Component')
    throw fieldError(k, field, at, `expected kind != 'Component' for path '${path}'`);
  const subAcc = accumulateTarget(ctx, sub, { resources: [], config: defaultConfig(), vars: [] });
  appendResources(acc, subAcc.resources);
  acc.config = mergeConfig(acc.config, subAcc.config);
  for (const v of subAcc.vars) {
    if (acc.vars.some((x) => x.name === v.name))
      throw new RenderError(`var '${v.name}' already encountered`);
    acc.vars.push(v);
  }
}

function appendResource(acc: Accumulator, r: Resource): void {
  appendResources(acc, [r]);
}

/** Appends resources, refusing one whose id is already there (ids indexed once per batch). */
function appendResources(acc: Accumulator, list: readonly Resource[]): void {
  if (list.length === 0) return;
  const ids = new Set(acc.resources.map(curIdKey));
  for (const r of list) {
    const key = curIdKey(r);
    if (ids.has(key))
      throw new RenderError(`may not add resource with an already registered id: ${idString(r)}`);
    ids.add(key);
    acc.resources.push(r);
  }
}

function matchesAnyId(r: Resource, g: Resource): boolean {
  const name = nameOf(g);
  if (nameOf(r) !== name && !r.prevIds.some((id) => id.name === name)) return false;
  const gk = gvkOf(g);
  const ids = [curId(r), ...r.prevIds];
  const rk = gvkOf(r);
  return (
    rk.group === gk.group &&
    ids.some(
      (id) =>
        id.kind === gk.kind &&
        id.name === nameOf(g) &&
        effectiveNamespace(id.kind, id.namespace === '_non_namespaceable_' ? '' : id.namespace) ===
          effectiveNamespace(gk.kind, namespaceOf(g)),
    )
  );
}

/** Adds a generated resource: create, or merge into / replace the one it names. */
function absorb(acc: Accumulator, g: Resource): void {
  const matches = acc.resources.filter((r) => matchesAnyId(r, g));
  if (matches.length === 0) {
    if (g.behavior === 'merge' || g.behavior === 'replace')
      throw new RenderError(
        `id ${JSON.stringify(idString(g))} does not exist; cannot merge or replace`,
      );
    acc.resources.push(g);
    return;
  }
  if (matches.length > 1)
    throw new RenderError(`found multiple objects that could accept merge of ${idString(g)}`);
  const old = matches[0] as Resource;
  if (g.behavior === 'create' || g.behavior === undefined)
    throw new RenderError(`id ${idString(g)} exists; behavior must be merge or replace`);
  const oldMeta = metaOf(old);
  const newMeta = metaOf(g);
  newMeta.labels = {
    ...(isMap(oldMeta.labels) ? oldMeta.labels : {}),
    ...(isMap(newMeta.labels) ? newMeta.labels : {}),
  };
  newMeta.annotations = {
    ...(isMap(oldMeta.annotations) ? oldMeta.annotations : {}),
    ...(isMap(newMeta.annotations) ? newMeta.annotations : {}),
  };
  if (Object.keys(newMeta.labels as object).length === 0) delete newMeta.labels;
  if (Object.keys(newMeta.annotations as object).length === 0) delete newMeta.annotations;
  newMeta.name = oldMeta.name;
  if (oldMeta.namespace !== undefined) newMeta.namespace = oldMeta.namespace;
  if (g.behavior === 'merge') {
    for (const field of ['data', 'binaryData']) {
      const merged = {
        ...(isMap(old.value[field]) ? old.value[field] : {}),
        ...(isMap(g.value[field]) ? g.value[field] : {}),
      };
      if (Object.keys(merged).length > 0) g.value[field] = merged;
    }
  }
  const i = acc.resources.indexOf(old);
  acc.resources[i] = {
    ...g,
    // A merge keeps the hashing choice of what it merges into (a plain ConfigMap stays unhashed).
    needsHash: g.behavior === 'merge' ? old.needsHash === true && g.needsHash : g.needsHash,
    prevIds: old.prevIds,
    prefixes: old.prefixes,
    suffixes: old.suffixes,
  };
}

function configFile(k: Kustomization, entry: unknown): string {
  if (typeof entry !== 'string' || entry.includes('\n') || entry.includes(': ')) return k.path;
  return joinPath(k.dir, entry) ?? k.path;
}

function pluginConfigs(
  ctx: BuildContext,
  k: Kustomization,
  field: string,
  entry: unknown,
  i: number,
): Array<Record<string, unknown>> {
  if (isMap(entry)) return [entry];
  const s = String(entry);
  if (s.includes('\n') || s.includes(': ')) {
    return parseYamlFile(k.path, s).values.filter(isMap);
  }
  const path = joinPath(k.dir, s);
  if (path !== null && ctx.files.isDirectory(path) && ctx.files.read(path) === undefined) {
    // A kustomization directory whose build is the list of plugin configurations.
    const sub = readKustomization(ctx.files, path);
    const built = accumulateTarget(ctx, sub, { resources: [], config: defaultConfig(), vars: [] });
    return built.resources.map((r) => r.value);
  }
  const text = readInRoot(ctx, k, s, field, `/${i}`);
  return parseYamlFile(path ?? s, text).values.filter(isMap);
}

function runTransformers(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  const cfg = acc.config;
  // patchesStrategicMerge
  for (const [i, p] of list(k, 'patchesStrategicMerge').entries()) {
    const s = String(p);
    const text =
      s.includes('\n') || /^\s*[\w$]+:/.test(s)
        ? s
        : readInRoot(ctx, k, s, 'patchesStrategicMerge', `/${i}`);
    const docs = parseYamlFile(k.path, text).values.filter(isMap);
    if (docs.length === 0)
      throw fieldError(k, 'patchesStrategicMerge', `/${i}`, `patch appears to be empty; file=${s}`);
    for (const doc of docs) applySmpById(ctx, acc, doc, false);
  }
  if (list(k, 'patchesStrategicMerge').length > 0)
    noteTransformer(ctx, k, acc, 'PatchStrategicMergeTransformer');
  // patches
  for (const [i, p] of list(k, 'patches').entries()) {
    if (!isMap(p))
      throw fieldError(k, 'patches', `/${i}`, 'a patch must be a mapping with path or patch');
    const text =
      typeof p.patch === 'string'
        ? p.patch
        : typeof p.path === 'string'
          ? readInRoot(ctx, k, p.path, 'patches', `/${i}/path`)
          : undefined;
    if (text === undefined)
      throw fieldError(k, 'patches', `/${i}`, 'must specify one of patch and path in patches');
    if (typeof p.patch === 'string' && typeof p.path === 'string')
      throw fieldError(k, 'patches', `/${i}`, "patch and path can't be set at the same time");
    const options = isMap(p.options) ? p.options : {};
    applyPatch(
      ctx,
      acc,
      text,
      p.target === undefined ? undefined : toSelector(p.target),
      options.allowNameChange === true,
      options.allowKindChange === true,
      k.path,
    );
    noteTransformer(ctx, k, acc, 'PatchTransformer');
  }
  // namespace, prefix, suffix, labels, annotations
  const ns = k.fields.namespace;
  if (typeof ns === 'string' && ns !== '') {
    setNamespace(acc.resources, ns, cfg.namespace);
    noteTransformer(ctx, k, acc, 'NamespaceTransformer');
  }
  const prefix = k.fields.namePrefix;
  if (typeof prefix === 'string' && prefix !== '') {
    addNameAffix(acc.resources, prefix, 'prefix', cfg.namePrefix);
    noteTransformer(ctx, k, acc, 'PrefixTransformer');
  }
  const suffix = k.fields.nameSuffix;
  if (typeof suffix === 'string' && suffix !== '') {
    addNameAffix(acc.resources, suffix, 'suffix', cfg.nameSuffix);
    noteTransformer(ctx, k, acc, 'SuffixTransformer');
  }
  for (const l of list(k, 'labels')) {
    if (!isMap(l)) continue;
    let specs: FieldSpec[] = Array.isArray(l.fields) ? toSpecs(l.fields) : [];
    specs = mergeSpecs(specs, cfg.labels);
    if (l.includeSelectors === true) specs = mergeSpecs(specs, cfg.commonLabels);
    else {
      if (l.includeTemplates === true) specs = mergeSpecs(specs, cfg.templateLabels);
      if (l.includeVolumeClaimTemplates === true)
        specs = mergeSpecs(specs, cfg.volumeClaimTemplateLabels);
      specs = mergeSpecs(specs, [{ path: 'metadata/labels', create: true }]);
    }
    addMapEntries(acc.resources, stringMap(l.pairs), specs);
    noteTransformer(ctx, k, acc, 'LabelTransformer');
  }
  const commonLabels = stringMap(k.fields.commonLabels);
  addMapEntries(acc.resources, commonLabels, cfg.commonLabels);
  if (Object.keys(commonLabels).length > 0) noteTransformer(ctx, k, acc, 'LabelTransformer');
  const commonAnnotations = stringMap(k.fields.commonAnnotations);
  addMapEntries(acc.resources, commonAnnotations, cfg.commonAnnotations);
  if (Object.keys(commonAnnotations).length > 0)
    noteTransformer(ctx, k, acc, 'AnnotationsTransformer');
  // patchesJson6902
  for (const [i, p] of list(k, 'patchesJson6902').entries()) {
    if (!isMap(p)) continue;
    const text =
      typeof p.patch === 'string'
        ? p.patch
        : readInRoot(ctx, k, String(p.path), 'patchesJson6902', `/${i}/path`);
    const ops = toJsonPatch(parseYamlFile(k.path, text).values[0]);
    for (const r of selectResources(acc.resources, toSelector(p.target)))
      applyJsonPatch(r.value, ops);
    noteTransformer(ctx, k, acc, 'PatchJson6902Transformer');
  }
  setReplicas(acc.resources, k.fields.replicas, cfg.replicas);
  for (const _ of list(k, 'replicas')) noteTransformer(ctx, k, acc, 'ReplicaCountTransformer');
  setImages(acc.resources, toImageRules(k.fields.images ?? k.fields.imageTags), cfg.images);
  for (const _ of list(k, 'images')) noteTransformer(ctx, k, acc, 'ImageTagTransformer');
  applyReplacements(
    acc.resources,
    toReplacements(k.fields.replacements, (p, i) =>
      readInRoot(ctx, k, p, 'replacements', `/${i}/path`),
    ),
  );
  if (list(k, 'replacements').length > 0) noteTransformer(ctx, k, acc, 'ReplacementTransformer');
  for (const [i, entry] of list(k, 'transformers').entries()) {
    for (const t of pluginConfigs(ctx, k, 'transformers', entry, i))
      runBuiltinTransformer(ctx, k, acc, t, i);
  }
  if (list(k, 'validators').length > 0)
    throw fieldError(k, 'validators', '', 'validator plugins are not supported by Berth');
}

function toSpecs(raw: unknown[]): FieldSpec[] {
  return toFieldSpecs(raw);
}

function runBuiltinTransformer(
  ctx: BuildContext,
  k: Kustomization,
  acc: Accumulator,
  t: Record<string, unknown>,
  i: number,
): void {
  const specs = Array.isArray(t.fieldSpecs) ? toSpecs(t.fieldSpecs) : [];
  switch (t.kind) {
    case 'LabelTransformer':
      addMapEntries(acc.resources, stringMap(t.labels), specs);
      return;
    case 'AnnotationsTransformer':
      addMapEntries(acc.resources, stringMap(t.annotations), specs);
      return;
    case 'PrefixSuffixTransformer':
      if (typeof t.prefix === 'string') addNameAffix(acc.resources, t.prefix, 'prefix', specs);
      if (typeof t.suffix === 'string') addNameAffix(acc.resources, t.suffix, 'suffix', specs);
      return;
    case 'NamespaceTransformer': {
      const meta = isMap(t.metadata) ? t.metadata : {};
      setNamespace(acc.resources, String(meta.namespace ?? ''), specs);
      return;
    }
    case 'PatchTransformer': {
      const options = isMap(t.options) ? t.options : {};
      if (typeof t.patch !== 'string')
        throw fieldError(k, 'transformers', `/${i}`, 'PatchTransformer needs an inline patch');
      applyPatch(
        ctx,
        acc,
        t.patch,
        t.target === undefined ? undefined : toSelector(t.target),
        options.allowNameChange === true,
        options.allowKindChange === true,
        k.path,
      );
      return;
    }
    case 'PatchJson6902Transformer': {
      const text = typeof t.jsonOp === 'string' ? t.jsonOp : undefined;
      if (text === undefined)
        throw fieldError(k, 'transformers', `/${i}`, 'PatchJson6902Transformer needs jsonOp');
      const ops = toJsonPatch(parseYamlFile(k.path, text).values[0]);
      for (const r of selectResources(acc.resources, toSelector(t.target)))
        applyJsonPatch(r.value, ops);
      return;
    }
    default:
      throw fieldError(
        k,
        'transformers',
        `/${i}`,
        `transformer plugin ${String(t.kind)} is not supported by Berth`,
      );
  }
}

function applyPatch(
  ctx: BuildContext,
  acc: Accumulator,
  text: string,
  target: ReturnType<typeof toSelector> | undefined,
  allowName: boolean,
  allowKind: boolean,
  file: string,
): void {
  const docs = parseYamlFile(file, text).values.filter((v) => v !== null && v !== undefined);
  const first = docs[0];
  if (Array.isArray(first)) {
    if (!target)
      throw new RenderError('unable to find patch target: a JSON 6902 patch needs a target');
    const ops = toJsonPatch(first);
    for (const r of selectResources(acc.resources, target)) {
      // kustomize lets a JSON patch rename or change the kind, remembering the old id.
      storePreviousId(r);
      applyJsonPatch(r.value, ops);
    }
    return;
  }
  for (const doc of docs) {
    if (!isMap(doc)) continue;
    if (!target) {
      applySmpById(ctx, acc, doc, allowName || allowKind);
      continue;
    }
    for (const r of selectResources(acc.resources, target)) {
      // The patch takes the target's identity (kustomize copies GVK, name and namespace).
      const copy = structuredClone(doc);
      if (!allowKind) {
        copy.apiVersion = r.value.apiVersion;
        copy.kind = r.value.kind;
      }
      const meta = isMap(copy.metadata) ? copy.metadata : {};
      if (!allowName) meta.name = nameOf(r);
      if (namespaceOf(r) !== '') meta.namespace = namespaceOf(r);
      else delete meta.namespace;
      copy.metadata = meta;
      applySmp(ctx, acc, r, copy, allowName, allowKind);
    }
  }
}

function applySmp(
  ctx: BuildContext,
  acc: Accumulator,
  r: Resource,
  patch: Record<string, unknown>,
  allowName: boolean,
  allowKind: boolean,
): void {
  const name = nameOf(r);
  const ns = namespaceOf(r);
  const kind = kindOf(r);
  if (allowName || allowKind) storePreviousId(r);
  const merged = strategicMerge(r.value, structuredClone(patch), ctx.openapi.custom);
  if (merged === undefined) {
    acc.resources.splice(acc.resources.indexOf(r), 1);
    return;
  }
  r.value = merged;
  if (!allowKind) r.value.kind = kind;
  if (!allowName) metaOf(r).name = name;
  if (ns === '') delete metaOf(r).namespace;
  else metaOf(r).namespace = ns;
}

function applySmpById(
  ctx: BuildContext,
  acc: Accumulator,
  patch: Record<string, unknown>,
  allowChange: boolean,
): void {
  const meta = isMap(patch.metadata) ? patch.metadata : {};
  const probe: Resource = {
    value: patch,
    origin: { file: '', docIndex: 0, pointer: '', kustomization: '' },
    prevIds: [],
    prefixes: [],
    suffixes: [],
  };
  const pk = gvkOf(probe);
  const matches = acc.resources.filter((r) => {
    const rk = gvkOf(r);
    if (rk.group !== pk.group) return false;
    if (pk.version && rk.version !== pk.version) return false;
    const ids = [curId(r), ...r.prevIds];
    return ids.some(
      (id) =>
        id.kind === pk.kind &&
        id.name === String(meta.name ?? '') &&
        effectiveNamespace(
          id.kind,
          id.namespace === '_non_namespaceable_' || id.namespace === 'default' ? '' : id.namespace,
        ) === effectiveNamespace(pk.kind, typeof meta.namespace === 'string' ? meta.namespace : ''),
    );
  });
  if (matches.length !== 1) {
    const id = `${pk.kind}.${pk.group ? `${pk.version}.${pk.group}` : pk.version}/${String(meta.name ?? '')}.${typeof meta.namespace === 'string' ? meta.namespace : '[noNs]'}`;
    throw new RenderError(
      matches.length === 0
        ? `no matches for Id ${id}; failed to find unique target for patch ${id}`
        : `multiple matches for Id ${id}; failed to find unique target for patch ${id}`,
    );
  }
  applySmp(ctx, acc, matches[0] as Resource, patch, allowChange, allowChange);
}
