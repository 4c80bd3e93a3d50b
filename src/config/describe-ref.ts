import type { SourceRef } from './berth-config.js';

/** `branch main`, `tag v1`, `commit 3f2a…`: a source's ref in words, for output and state. */
export function describeRef(ref: SourceRef): string {
  if ('branch' in ref) return `branch ${ref.branch}`;
  if ('tag' in ref) return `tag ${ref.tag}`;
  return `commit ${ref.commit}`;
}
