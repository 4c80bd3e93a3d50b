import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { readSecret, type SourceConfig } from '../config/index.js';
import { errorMessage } from '../util/berth-error.js';
import { withoutUserinfo } from '../util/without-userinfo.js';
import { gitFs } from './git-fs.js';
import { redactSecrets } from './redact-secrets.js';
import type { RepositoryBackend } from './repository-backend.js';
import { SourceError } from './source-error.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * A remote repository (smart HTTP) fetched with isomorphic-git into
 * `<stateDir>/sources/<name>.git`, a real bare git directory (`git log` works on it; the
 * rollback writes revert commits there). A branch or tag is fetched shallow (depth 1) and its
 * local ref (`refs/heads/<branch>`, `refs/tags/<tag>`) forced to what the remote has, so a
 * force-push is simply a new revision. A pinned commit needs full history of all branches.
 */
export class RemoteBackend implements RepositoryBackend {
  private readonly dir: string;
  private readonly secrets: string[] = [];
  /** The URL without userinfo: what messages show. */
  private readonly url: string;

  constructor(
    private readonly source: SourceConfig,
    stateDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeoutMs = 120_000,
    /** Fetch branches and tags with their whole history (a revert needs it), not depth 1. */
    private readonly fullHistory = false,
  ) {
    this.dir = path.join(stateDir, 'sources', `${source.name}.git`);
    this.url = withoutUserinfo(source.repo);
  }

  gitdir(): string {
    return this.dir;
  }

  async update(): Promise<string | undefined> {
    await this.ensureRepository();
    const ref = this.source.ref;
    const common = {
      fs: gitFs,
      http,
      gitdir: this.dir,
      url: this.source.repo,
      remote: 'origin',
      onAuth: () => this.credentials(),
      onAuthFailure: () => ({ cancel: true }),
    };
    try {
      if ('commit' in ref) {
        await this.withTimeout(git.fetch({ ...common, singleBranch: false, tags: true }));
        return ref.commit;
      }
      const fullRef = 'branch' in ref ? `refs/heads/${ref.branch}` : `refs/tags/${ref.tag}`;
      const result = await this.withTimeout(
        git.fetch({
          ...common,
          ref: fullRef,
          remoteRef: fullRef,
          singleBranch: true,
          tags: false,
          ...(this.fullHistory ? {} : { depth: 1 }),
        }),
      );
      if (!result.fetchHead) throw this.refNotFound(fullRef);
      await git.writeRef({
        fs: gitFs,
        gitdir: this.dir,
        ref: fullRef,
        value: result.fetchHead,
        force: true,
      });
      return result.fetchHead;
    } catch (err) {
      throw this.toSourceError(err);
    }
  }

  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  async close(): Promise<void> {}

  /**
   * Gives up waiting on a fetch after `timeoutMs` (a server that accepts and never answers).
   * isomorphic-git cannot abort a request: the abandoned one ends on its own, and its objects
   * are harmless (refs are only moved by the fetch that returned).
   */
  private withTimeout<T>(fetching: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SourceError(
              'SourceUnreachable',
              `source ${this.source.name}: ${this.url} did not answer within ${this.timeoutMs} ms`,
              { source: this.source.name, repo: this.url, timeoutMs: this.timeoutMs },
            ),
          ),
        this.timeoutMs,
      );
    });
    fetching.catch(() => {});
    return Promise.race([fetching, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * The source's HTTP credentials (the password read from its env variable or file), for a push
   * with the same identity; the password is added to what {@link redact} removes.
   */
  credentials(): { username: string; password: string } | undefined {
    const auth = this.source.auth;
    if (!auth) return undefined;
    let password: string;
    try {
      password = readSecret(auth.password, this.env);
    } catch (err) {
      throw new SourceError(
        'SourceAuthFailed',
        `source ${this.source.name}: cannot read the password: ${errorMessage(err)}`,
        { source: this.source.name },
      );
    }
    if (!this.secrets.includes(password)) this.secrets.push(password);
    return { username: auth.username, password };
  }

  private async ensureRepository(): Promise<void> {
    if (existsSync(path.join(this.dir, 'HEAD'))) return;
    await mkdir(this.dir, { recursive: true });
    const defaultBranch = 'branch' in this.source.ref ? this.source.ref.branch : 'main';
    await git.init({ fs: gitFs, dir: this.dir, gitdir: this.dir, bare: true, defaultBranch });
    await git.setConfig({
      fs: gitFs,
      gitdir: this.dir,
      path: 'remote.origin.url',
      value: this.url,
    });
    await git.setConfig({
      fs: gitFs,
      gitdir: this.dir,
      path: 'remote.origin.fetch',
      value: '+refs/heads/*:refs/remotes/origin/*',
    });
  }

  private refNotFound(ref: string, cause?: unknown): SourceError {
    return new SourceError(
      'SourceRefNotFound',
      `source ${this.source.name}: ${ref} does not exist on ${this.url}`,
      { source: this.source.name, repo: this.url, ref },
      { cause },
    );
  }

  private toSourceError(err: unknown): SourceError {
    if (err instanceof SourceError) return err;
    const name = this.source.name;
    const data = { source: name, repo: this.url };
    const e = err as { code?: string; data?: { statusCode?: number; data?: unknown } };
    const status = e.data?.statusCode;
    if (e.code === 'UserCanceledError' || status === 401 || status === 403) {
      return new SourceError(
        'SourceAuthFailed',
        `source ${name}: ${this.url} refused the credentials${this.source.auth ? ` of user ${this.source.auth.username}` : ' (no auth configured)'}`,
        { ...data, ...(status ? { statusCode: status } : {}) },
      );
    }
    if (e.code === 'NotFoundError') {
      const ref = this.source.ref;
      return this.refNotFound(
        'commit' in ref
          ? ref.commit
          : 'branch' in ref
            ? `refs/heads/${ref.branch}`
            : `refs/tags/${ref.tag}`,
      );
    }
    const message = this.redact(errorMessage(err));
    if (e.code && NETWORK_CODES.has(e.code)) {
      return new SourceError(
        'SourceUnreachable',
        `source ${name}: cannot reach ${this.url}: ${e.code}`,
        { ...data, errno: e.code },
      );
    }
    return new SourceError(
      'SourceFetchFailed',
      `source ${name}: fetch from ${this.url} failed: ${message}`,
      { ...data, ...(status ? { statusCode: status } : {}) },
    );
  }
}
