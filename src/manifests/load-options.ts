import { MAX_YAML_DEPTH } from './nesting-depth.js';

/** Bounds and policy of loading a revision's manifests. Every field is optional. */
export interface LoadOptions {
  /** Largest file read, in bytes. Default 1 MiB (Kubernetes stores at most ~1.5 MB per object). */
  maxFileBytes?: number;
  /** Largest revision (sum of the manifest files), in bytes. Default 64 MiB. */
  maxTotalBytes?: number;
  /** Most YAML documents in one revision (`kind: List` items count one each). Default 10,000. */
  maxDocuments?: number;
  /** Most alias expansions in one document (billion-laughs guard). Default 100. */
  maxAliasCount?: number;
  /** Deepest nesting of collections in a file, checked before parsing. Default 100 (as js-yaml's). */
  maxDepth?: number;
}

/** {@link LoadOptions} with defaults applied. */
export type CompiledLoadOptions = Required<LoadOptions>;

/** Applies the defaults of {@link LoadOptions}; rejects non-positive bounds. */
export function compileLoadOptions(options: LoadOptions = {}): CompiledLoadOptions {
  const compiled = {
    maxFileBytes: options.maxFileBytes ?? 1024 * 1024,
    maxTotalBytes: options.maxTotalBytes ?? 64 * 1024 * 1024,
    maxDocuments: options.maxDocuments ?? 10_000,
    maxAliasCount: options.maxAliasCount ?? 100,
    maxDepth: options.maxDepth ?? MAX_YAML_DEPTH,
  };
  for (const [key, value] of Object.entries(compiled)) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`LoadOptions.${key} must be a non-negative integer, not ${value}`);
  }
  return compiled;
}
