import { giteaApi } from 'gitea-js';
import type { ForgeClient } from './forge-client.js';
import { forgeCall } from './forge-error.js';

/** Where a Gitea (or Forgejo) adapter talks to. */
export interface GiteaForgeOptions {
  /** The instance, like `https://gitea.example.com` (the client adds `/api/v1`). */
  baseUrl: string;
  /** `owner/name`. */
  repository: string;
  token: string;
}

/** {@link ForgeClient} over gitea-js: issue comments (a pull request is an issue) and commit statuses. */
export function giteaForge(options: GiteaForgeOptions): ForgeClient {
  const [owner = '', repo = ''] = options.repository.split('/');
  const api = giteaApi(options.baseUrl, { token: options.token });
  const call = <T>(name: string, run: () => Promise<T>) => forgeCall('gitea', name, run);
  return {
    listComments: (pr) =>
      call('list comments', async () => {
        // Gitea answers every comment of the issue at once (this endpoint has no paging).
        const { data } = await api.repos.issueGetComments(owner, repo, pr);
        return data.map((c) => ({ id: c.id ?? 0, body: c.body ?? '' }));
      }),
    createComment: (pr, body) =>
      call('create comment', async () => {
        await api.repos.issueCreateComment(owner, repo, pr, { body });
      }),
    updateComment: (_pr, id, body) =>
      call('update comment', async () => {
        await api.repos.issueEditComment(owner, repo, id, { body });
      }),
    setStatus: (s) =>
      call('create status', async () => {
        await api.repos.repoCreateStatus(owner, repo, s.sha, {
          state: s.state,
          description: s.description,
          context: s.context,
        });
      }),
  };
}
