import { Octokit } from '@octokit/rest';
import type { ForgeClient } from './forge-client.js';
import { forgeCall } from './forge-error.js';

/** Where a GitHub adapter talks to. */
export interface GithubForgeOptions {
  /** API root: `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise. */
  baseUrl: string;
  /** `owner/name`. */
  repository: string;
  token: string;
}

/** {@link ForgeClient} over @octokit/rest: issue comments and commit statuses. */
export function githubForge(options: GithubForgeOptions): ForgeClient {
  const [owner = '', repo = ''] = options.repository.split('/');
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: 'berth',
    // Octokit warns on the console; failures reach Berth's own log as ForgeErrors instead.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const call = <T>(name: string, run: () => Promise<T>) => forgeCall('github', name, run);
  return {
    listComments: (pr) =>
      call('list comments', async () => {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
          owner,
          repo,
          issue_number: pr,
          per_page: 100,
        });
        return comments.map((c) => ({ id: c.id, body: c.body ?? '' }));
      }),
    createComment: (pr, body) =>
      call('create comment', async () => {
        await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body });
      }),
    updateComment: (_pr, id, body) =>
      call('update comment', async () => {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
      }),
    setStatus: (s) =>
      call('create status', async () => {
        await octokit.rest.repos.createCommitStatus({
          owner,
          repo,
          sha: s.sha,
          state: s.state,
          description: s.description,
          context: s.context,
        });
      }),
  };
}
