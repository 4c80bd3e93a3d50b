import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import type { Logger } from '../util/logger.js';
import type { RepositoryBackend } from './repository-backend.js';
import { SourceError } from './source-error.js';

/** chokidar's window (ms) during which it suppresses repeated `change` events of one path. */
const CHOKIDAR_THROTTLE_MS = 50;

/** Options of {@link LocalBackend}. */
export interface LocalBackendOptions {
  /** Source name, for errors and logs. */
  name: string;
  /** Path of the repository: a working tree (with `.git`) or a bare repository. */
  repo: string;
  /** Called (debounced) after git touched a ref, packed-refs, HEAD or a reflog. */
  onChange: () => void;
  /** Quiet time after the last file-system event before `onChange`. */
  debounceMs: number;
  logger?: Logger | undefined;
}

/**
 * A repository on this host, read in place from its git directory. chokidar (inotify, no
 * polling) watches what `git commit`, `git push` into it, `git reset`, `git fetch` and `git gc`
 * write: `HEAD`, `packed-refs`, `refs/**` and `logs/**`.
 */
export class LocalBackend implements RepositoryBackend {
  private dir: string | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private trailing: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: LocalBackendOptions) {}

  gitdir(): string {
    return this.dir ?? this.options.repo;
  }

  async update(): Promise<undefined> {
    if (this.dir === undefined) {
      this.dir = findGitdir(this.options.name, this.options.repo);
      await this.watch(this.dir);
    }
    return undefined;
  }

  redact(text: string): string {
    return text;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.trailing);
    await this.watcher?.close();
    this.watcher = undefined;
  }

  private async watch(gitdir: string): Promise<void> {
    if (this.closed) return;
    const watcher = watch(
      ['HEAD', 'packed-refs', 'refs', 'logs'].map((p) => path.join(gitdir, p)),
      {
        ignoreInitial: true,
        // Lock files come and go during every ref update; the rename onto the ref is what counts.
        ignored: (p: string) => p.endsWith('.lock'),
      },
    );
    watcher.on('all', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.options.onChange(), this.options.debounceMs);
      // chokidar drops further `change` events of a path for 50 ms after one (a leading-edge
      // throttle): a second commit in that window would go unseen. One more read after the
      // last window closes catches it.
      clearTimeout(this.trailing);
      this.trailing = setTimeout(
        () => this.options.onChange(),
        CHOKIDAR_THROTTLE_MS + this.options.debounceMs,
      );
    });
    watcher.on('error', (err) =>
      this.options.logger?.warn(
        { source: this.options.name, err: String(err) },
        `source ${this.options.name}: file watch error`,
      ),
    );
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    this.watcher = watcher;
  }
}

/**
 * The git directory of a local repository: `<repo>/.git`, the directory a `.git` file points
 * to (its common directory for a linked worktree), or `repo` itself when it is bare.
 */
export function findGitdir(name: string, repo: string): string {
  const dotGit = path.join(repo, '.git');
  if (existsSync(dotGit)) {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (m?.[1]) {
      const dir = path.resolve(repo, m[1].trim());
      const common = path.join(dir, 'commondir');
      return existsSync(common) ? path.resolve(dir, readFileSync(common, 'utf8').trim()) : dir;
    }
  }
  if (existsSync(path.join(repo, 'HEAD')) && existsSync(path.join(repo, 'objects'))) return repo;
  throw new SourceError(
    'SourceRepoNotFound',
    `source ${name}: ${repo} is not a git repository (no .git, and not a bare repository)`,
    { source: name, repo },
  );
}
