import type { SourceFile } from '../../source/index.js';
import { resolveSymlink } from '../resolve-symlinks.js';
import { RenderError } from './render-error.js';

/**
 * Turns a file's bytes into text. The default decodes UTF-8 and refuses anything else; a
 * decrypting reader (SOPS) plugs in here so every file Kustomize reads goes through it.
 */
export type ReadText = (path: string, content: Uint8Array) => string;

/** The files a build reads: a revision's tree (git objects or a directory read from disk). */
export interface RenderFiles {
  /** The text of the file at `path` (repository-relative, `/`-separated); undefined if none. */
  read(path: string): string | undefined;
  /** The raw bytes of a file (for generators that keep binary data). */
  bytes(path: string): Uint8Array | undefined;
  /** True when some file lies under `dir`. */
  isDirectory(dir: string): boolean;
}

/** Bounds applied to every file and every kustomization of a build. */
export interface RenderLimits {
  /** Largest file read, in bytes. Default 1 MiB. */
  maxFileBytes?: number;
  /** Deepest chain of kustomizations (overlay → base → …). Default 32. */
  maxDepth?: number;
  /** Most resources in a build. Default 10,000. */
  maxResources?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 text, refusing other encodings with a positioned message. */
export const readUtf8: ReadText = (path, content) => {
  try {
    return utf8.decode(content).replace(/^\uFEFF/, '');
  } catch {
    throw new RenderError(`${path}: not UTF-8 text`);
  }
};

/**
 * The {@link RenderFiles} of a list of source files. Symlinks are followed only inside the
 * repository (the loader's rules); `readText` decodes (and may decrypt) each file once.
 */
export function sourceFiles(
  files: readonly SourceFile[],
  options: { readText?: ReadText; maxFileBytes?: number } = {},
): RenderFiles {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const dirs = new Set<string>(['']);
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const readText = options.readText ?? readUtf8;
  const max = options.maxFileBytes ?? 1024 * 1024;
  const texts = new Map<string, string>();
  const bytes = (path: string): Uint8Array | undefined => {
    const f = byPath.get(path);
    if (!f) return undefined;
    let content = f.content;
    if (f.mode === 'symlink') {
      const resolved = resolveSymlink(f, byPath);
      if ('error' in resolved) throw new RenderError(`${path}: ${resolved.error}`);
      content = resolved.content;
    }
    if (content.byteLength > max)
      throw new RenderError(`${path}: file is larger than the limit of ${max} bytes`);
    return content;
  };
  return {
    read(path) {
      const cached = texts.get(path);
      if (cached !== undefined) return cached;
      const content = bytes(path);
      if (content === undefined) return undefined;
      const text = readText(path, content);
      texts.set(path, text);
      return text;
    },
    bytes,
    isDirectory: (dir) => dirs.has(dir),
  };
}

/** Joins and cleans a path relative to `dir`; returns null when it climbs above the repository. */
export function joinPath(dir: string, rel: string): string | null {
  const parts = rel.startsWith('/') ? [] : dir === '' ? [] : dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/** True when `path` is `root` or lies below it. */
export function isWithin(path: string, root: string): boolean {
  return root === '' || path === root || path.startsWith(`${root}/`);
}
