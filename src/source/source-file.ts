/**
 * One file of a revision, read from git objects (never from a working tree): what the source
 * layer hands to the manifests loader. `path` is relative to the source's `path`, with `/`
 * separators and no leading `./`. A symlink's `content` is its target, as git stores it.
 */
export interface SourceFile {
  path: string;
  content: Uint8Array;
  mode: 'file' | 'executable' | 'symlink';
}
