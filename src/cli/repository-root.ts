import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository holding `dir` (nearest ancestor with `.git`), or `dir` itself. */
export function repositoryRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return dir;
  }
}
