import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The SOPS corpus (../shared/corpus/sops, see its README), found beside the repository as the
 * other corpus tests find it, or beside the worktrees' parent directory.
 */
export const sopsCorpus =
  [
    path.resolve(repoRoot, '../shared/corpus/sops'),
    path.resolve(repoRoot, '../../shared/corpus/sops'),
  ].find((dir) => existsSync(path.join(dir, 'expected'))) ?? '';
