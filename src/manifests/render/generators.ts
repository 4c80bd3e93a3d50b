import { isMap } from './field-spec.js';
import { fieldError, type Kustomization } from './kustomization-file.js';
import { stringMap } from './metadata-transformers.js';
import { RenderError } from './render-error.js';
import { isWithin, joinPath, type RenderFiles } from './render-files.js';
import type { Resource } from './resource.js';

const KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Options {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  disableNameSuffixHash: boolean;
  immutable: boolean;
}

function options(raw: unknown, base?: Options): Options {
  const m = isMap(raw) ? raw : {};
  return {
    labels: { ...(base?.labels ?? {}), ...stringMap(m.labels) },
    annotations: { ...(base?.annotations ?? {}), ...stringMap(m.annotations) },
    disableNameSuffixHash:
      m.disableNameSuffixHash === undefined
        ? (base?.disableNameSuffixHash ?? false)
        : m.disableNameSuffixHash === true,
    immutable: m.immutable === undefined ? (base?.immutable ?? false) : m.immutable === true,
  };
}

/** Base64 as kyaml writes Secret data and binaryData: lines of 70, each ended when longer. */
function base64(bytes: Uint8Array | string): string {
  const enc = Buffer.from(bytes).toString('base64');
  if (enc.length < 70) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += 70) out += `${enc.slice(i, i + 70)}\n`;
  return out;
}

function removeQuotes(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0])
    return s.slice(1, -1);
  return s;
}

/** Pairs from an env file (kustomize's KeyValuesFromLines: `#` comments, no trimming of values). */
function envPairs(text: string, file: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    const key = i < 0 ? line : line.slice(0, i);
    if (!ENV_NAME.test(key))
      throw new RenderError(
        `"${key}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (in ${file})`,
      );
    out.push([key, i < 0 ? '' : line.slice(i + 1)]);
  }
  return out;
}

/**
 * Runs the configMapGenerator and secretGenerator entries of a kustomization: literals,
 * files (`key=path` or `path`), env files, generatorOptions merged with each entry's options.
 * Each result carries its behavior and whether its name gets the content hash at the end.
 */
export function runGenerators(k: Kustomization, files: RenderFiles): Resource[] {
  const out: Resource[] = [];
  const global = options(k.fields.generatorOptions);
  for (const field of ['configMapGenerator', 'secretGenerator'] as const) {
    const list = k.fields[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw fieldError(k, field, '', `${field} must be a list`);
    list.forEach((entry, i) => {
      if (!isMap(entry)) throw fieldError(k, field, `/${i}`, `${field} entries must be mappings`);
      out.push(
        generate(
          k,
          files,
          field === 'secretGenerator' ? 'Secret' : 'ConfigMap',
          entry,
          global,
          `/${i}`,
          field,
        ),
      );
    });
  }
  return out;
}

/** One generator entry (also used by `generators:` builtin ConfigMapGenerator configs). */
export function generate(
  k: Kustomization,
  files: RenderFiles,
  kind: 'ConfigMap' | 'Secret',
  entry: Record<string, unknown>,
  global: Options | undefined,
  at: string,
  field: string,
): Resource {
  const opts = options(entry.options, global ?? options(undefined));
  const name = String(entry.name ?? (isMap(entry.metadata) ? entry.metadata.name : '') ?? '');
  const namespace =
    entry.namespace ?? (isMap(entry.metadata) ? entry.metadata.namespace : undefined);
  const behavior = String(entry.behavior ?? 'create');
  if (!['create', 'merge', 'replace', 'unspecified', ''].includes(behavior))
    throw fieldError(k, field, `${at}/behavior`, `unknown generation behavior: ${behavior}`);
  const data: Record<string, string> = {};
  const binary: Record<string, string> = {};
  const put = (key: string, value: Uint8Array | string) => {
    if (!KEY.test(key))
      throw fieldError(k, field, at, `"${key}" is not a valid key name for a ${kind}`);
    if (key in data || key in binary)
      throw fieldError(
        k,
        field,
        at,
        `cannot add key ${key}, another key by that name already exists`,
      );
    if (typeof value === 'string') {
      data[key] = kind === 'Secret' ? base64(value) : value;
      return;
    }
    try {
      const text = utf8.decode(value);
      data[key] = kind === 'Secret' ? base64(value) : text;
    } catch {
      if (kind === 'Secret') data[key] = base64(value);
      else binary[key] = base64(value);
    }
  };
  const load = (rel: string, sub: string): Uint8Array => {
    const path = joinPath(k.dir, rel);
    if (path === null || !isWithin(path, k.dir))
      throw fieldError(
        k,
        field,
        sub,
        `security; file '${rel}' is not in or below '${k.dir || '.'}'`,
      );
    const content = files.bytes(path);
    if (content === undefined) throw fieldError(k, field, sub, `file '${rel}' doesn't exist`);
    return content;
  };
  const envs = [
    ...(Array.isArray(entry.envs) ? entry.envs : []),
    ...(entry.env ? [entry.env] : []),
  ];
  envs.forEach((env, i) => {
    const text = Buffer.from(load(String(env), `${at}/envs/${i}`)).toString('utf8');
    for (const [key, value] of envPairs(text, String(env))) put(key, value);
  });
  if (Array.isArray(entry.literals)) {
    entry.literals.forEach((lit, i) => {
      const s = String(lit);
      const eq = s.indexOf('=');
      if (eq <= 0)
        throw fieldError(
          k,
          field,
          `${at}/literals/${i}`,
          `invalid literal source ${s}, expected key=value`,
        );
      put(s.slice(0, eq), removeQuotes(s.slice(eq + 1)));
    });
  }
  if (Array.isArray(entry.files)) {
    entry.files.forEach((f, i) => {
      const s = String(f);
      const eq = s.indexOf('=');
      let key: string;
      let rel: string;
      if (eq < 0) {
        rel = s;
        key = s.slice(s.lastIndexOf('/') + 1);
      } else {
        if (eq === 0)
          throw fieldError(
            k,
            field,
            `${at}/files/${i}`,
            `key names or file paths cannot be empty: ${s}`,
          );
        key = s.slice(0, eq);
        rel = s.slice(eq + 1);
      }
      put(key, load(rel, `${at}/files/${i}`));
    });
  }
  const metadata: Record<string, unknown> = { name };
  if (typeof namespace === 'string' && namespace !== '') metadata.namespace = namespace;
  if (Object.keys(opts.labels).length > 0) metadata.labels = opts.labels;
  if (Object.keys(opts.annotations).length > 0) metadata.annotations = opts.annotations;
  const value: Record<string, unknown> = { apiVersion: 'v1', kind, metadata };
  if (kind === 'Secret') value.type = String(entry.type ?? 'Opaque');
  if (Object.keys(data).length > 0) value.data = data;
  if (Object.keys(binary).length > 0) value.binaryData = binary;
  if (opts.immutable) value.immutable = true;
  return {
    value,
    origin: {
      file: k.path,
      docIndex: 0,
      pointer: `/${k.keys[field] ?? field}${at}`,
      kustomization: k.path,
    },
    prevIds: [],
    prefixes: [],
    suffixes: [],
    behavior: behavior === 'merge' ? 'merge' : behavior === 'replace' ? 'replace' : 'create',
    needsHash: !opts.disableNameSuffixHash,
  };
}

export type { Options as GeneratorOptions };
