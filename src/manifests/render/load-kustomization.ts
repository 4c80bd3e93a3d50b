import type { SourceFile } from '../../source/index.js';
import { positionOfPointer } from '../../util/yaml-position.js';
import { FileDocuments } from '../file-documents.js';
import { isNamespaced } from '../kinds.js';
import type { ManifestObject } from '../manifest-object.js';
import type { Problem } from '../problem.js';
import { hasKustomization, type RenderOptions, renderKustomization } from './index.js';
import { RenderError } from './render-error.js';
import { readUtf8 } from './render-files.js';
import {
  fromSourceDir,
  type RepositoryView,
  repositoryFiles,
  sourceDir,
} from './repository-view.js';

/**
 * The directory whose kustomization a revision is built from: the deepest directory holding
 * every file, if it has a kustomization file (`''` = the root); undefined when there is none
 * (the files are then plain manifests).
 */
export function kustomizationRoot(files: readonly SourceFile[]): string | undefined {
  if (files.length === 0) return undefined;
  const dirs = files.map((f) => f.path.split('/').slice(0, -1));
  let common = dirs[0] as string[];
  for (const d of dirs) {
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
  }
  for (let n = common.length; n >= 0; n--) {
    const dir = common.slice(0, n).join('/');
    if (hasKustomization(files, dir)) return dir;
  }
  return undefined;
}

/**
 * Builds the kustomization of a revision and returns its objects as the loader's
 * {@link ManifestObject}s, each positioned in the base or overlay file that produced it and
 * naming the kustomization that brought it in; a build failure becomes one positioned problem.
 */
export function loadKustomization(
  files: readonly SourceFile[],
  dir: string,
  options: RenderOptions = {},
  repository?: RepositoryView,
): { objects: ManifestObject[]; problems: Problem[] } {
  // A source below the repository's root builds over the whole repository (bases beside it),
  // and names files relative to its own path, as everywhere else.
  const top = repository ? sourceDir(repository.path) : '';
  const all = repository && top !== '' ? repositoryFiles(repository, files) : files;
  const buildDir = top === '' ? dir : dir === '' ? top : `${top}/${dir}`;
  const name = (p: string) => fromSourceDir(top, p);
  const docs = new Map<string, FileDocuments>();
  const texts = new Map<string, string>();
  const readText = options.readText ?? readUtf8;
  const reading = (path: string, content: Uint8Array) => {
    const text = readText(path, content);
    texts.set(path, text);
    return text;
  };
  try {
    const resources = renderKustomization(all, buildDir, {
      reorder: 'none',
      ...options,
      readText: reading,
    });
    const objects = resources.map((r): ManifestObject => {
      const file = r.origin.file;
      let documents = docs.get(file);
      if (!documents) {
        documents = new FileDocuments(texts.get(file) ?? '');
        docs.set(file, documents);
      }
      const { doc, lineCounter } = documents.document(r.origin.docIndex);
      const at = doc
        ? positionOfPointer(doc, lineCounter, r.origin.pointer)
        : { line: 1, column: 1 };
      const value = r.value;
      const meta = (value.metadata ?? {}) as Record<string, unknown>;
      const apiVersion = String(value.apiVersion ?? '');
      const kind = String(value.kind ?? '');
      const ns =
        typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default';
      return {
        file: name(file),
        documents,
        docIndex: r.origin.docIndex,
        base: r.origin.pointer,
        value,
        apiVersion,
        kind,
        namespace: isNamespaced(apiVersion, kind) ? ns : '',
        name: typeof meta.name === 'string' ? meta.name : '',
        position: at,
        via: name(r.origin.kustomization),
      };
    });
    return { objects, problems: [] };
  } catch (e) {
    if (!(e instanceof RenderError)) throw e;
    const place = e.place ?? { file: e.chain.at(-1) ?? buildDir, line: 1, column: 1 };
    const via = e.chain.length > 0 ? ` (kustomization ${e.chain.map(name).join(' -> ')})` : '';
    return {
      objects: [],
      problems: [
        {
          file: name(place.file),
          line: place.line,
          column: place.column,
          severity: 'error',
          kind: '',
          namespace: '',
          name: '',
          path: '',
          message: `kustomize build: ${e.message}${via}`,
          code: 'kustomize',
        },
      ],
    };
  }
}

/**
 * The view to build a source with: only when its path is below the repository's root and its
 * files hold a kustomization (the repository is read then, not otherwise).
 */
export async function repositoryViewFor(
  files: readonly SourceFile[],
  path: string,
  readRepository: () => Promise<SourceFile[]>,
): Promise<RepositoryView | undefined> {
  const dir = sourceDir(path);
  if (dir === '' || kustomizationRoot(files) === undefined) return undefined;
  return { path: dir, files: await readRepository() };
}
