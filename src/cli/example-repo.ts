import fs, { existsSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import git from 'isomorphic-git';

/** The example repository shipped with Berth (`examples-repo/` at the top of the package). */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples-repo', import.meta.url));

/**
 * Makes a real git repository of the bundled example under `stateDir/examples-repo` on first
 * use (a nested `.git` cannot be committed to Berth's own repository) and returns its path.
 * An existing one is left as the user changed it. `created` says which happened.
 */
export async function ensureExampleRepo(
  stateDir: string,
): Promise<{ dir: string; created: boolean }> {
  const dir = path.join(stateDir, 'examples-repo');
  if (existsSync(path.join(dir, '.git'))) return { dir, created: false };
  await mkdir(dir, { recursive: true });
  await cp(EXAMPLES_DIR, dir, { recursive: true });
  await git.init({ fs, dir, defaultBranch: 'main' });
  const files = await git.statusMatrix({ fs, dir });
  for (const [file] of files) await git.add({ fs, dir, filepath: file });
  const author = { name: 'Berth', email: 'berth@localhost' };
  await git.commit({
    fs,
    dir,
    message: 'Example application: web and api tiers',
    author,
    committer: author,
  });
  return { dir, created: true };
}
