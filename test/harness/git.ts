import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Identity and settings for every git command tests run: nothing from the user's ~/.gitconfig. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.test',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.test',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

/** Runs the real `git` in `cwd` and returns its trimmed stdout. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** Creates a non-bare repository with `main` checked out and no commits. */
export async function initRepo(dir: string, branch = 'main'): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, 'init', '--quiet', `--initial-branch=${branch}`);
  return dir;
}

/**
 * Writes `files` (path -> content; `null` deletes) into the repository, commits them with
 * `message`, and returns the new commit's SHA.
 */
export async function commitFiles(
  dir: string,
  files: Record<string, string | null>,
  message: string,
): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (content === null) {
      await git(dir, 'rm', '--quiet', '--', name);
    } else {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      await git(dir, 'add', '--', name);
    }
  }
  await git(dir, 'commit', '--quiet', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}
