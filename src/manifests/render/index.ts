// Kustomize for Berth: `kustomize build` in TypeScript over a revision's files, with
// positions back into the bases and overlays. See docs/kustomize.md.

import type { SourceFile } from '../../source/index.js';
import { buildKustomization } from './build.js';
import { toGoYaml } from './go-yaml.js';
import { KUSTOMIZATION_NAMES, readKustomization } from './kustomization-file.js';
import { legacySort, sortOptionsOf } from './legacy-order.js';
import { type ReadText, type RenderFiles, type RenderLimits, sourceFiles } from './render-files.js';
import type { Resource } from './resource.js';

export { RenderError, type RenderPlace } from './render-error.js';
export type { ReadText, RenderFiles, RenderLimits } from './render-files.js';
export { readUtf8, sourceFiles } from './render-files.js';
export type { NodeOrigin, Resource } from './resource.js';
export { KUSTOMIZATION_NAMES };

/** How to build: the output order and the bounds. Every field is optional. */
export interface RenderOptions extends RenderLimits {
  /** `none`: depth-first input order; `legacy` (default, as the kustomize CLI): by kind. */
  reorder?: 'none' | 'legacy';
  /** Decodes (and may decrypt) each file; default strict UTF-8. */
  readText?: ReadText;
}

/** True when `dir` (repository-relative, `''` = root) holds a kustomization file. */
export function hasKustomization(files: readonly SourceFile[], dir = ''): boolean {
  const names = new Set(KUSTOMIZATION_NAMES.map((n) => (dir === '' ? n : `${dir}/${n}`)));
  return files.some((f) => names.has(f.path));
}

/**
 * Builds the kustomization in `dir` (`kustomize build`). `sortOptions` in the kustomization
 * wins over `reorder`. Throws {@link RenderError} with kustomize's message and a position.
 */
export function renderKustomization(
  files: RenderFiles | readonly SourceFile[],
  dir = '',
  options: RenderOptions = {},
): Resource[] {
  const fs = Array.isArray(files)
    ? sourceFiles(files as readonly SourceFile[], {
        readText: options.readText,
        maxFileBytes: options.maxFileBytes,
      })
    : (files as RenderFiles);
  const resources = buildKustomization(fs, dir, options);
  const sort = sortOptionsOf(readKustomization(fs, dir).fields.sortOptions);
  if (sort.order === 'legacy') return legacySort(resources, sort);
  if (sort.order === 'fifo') return resources;
  return (options.reorder ?? 'legacy') === 'legacy' ? legacySort(resources) : resources;
}

/** The YAML stream `kustomize build` prints for these resources. */
export function formatResources(resources: readonly Resource[]): string {
  return resources.map((r) => toGoYaml(r.value)).join('---\n');
}
