import { Gitlab } from '@gitbeaker/rest';
import type { ForgeClient } from './forge-client.js';
import { forgeCall } from './forge-error.js';

/** Where a GitLab adapter talks to. */
export interface GitlabForgeOptions {
  /** The instance, like `https://gitlab.example.com` (the client adds `/api/v4`). */
  baseUrl: string;
  /** Project ID (`42`) or path (`group/project`). */
  repository: string;
  token: string;
}

/** {@link ForgeClient} over @gitbeaker/rest: merge-request notes and commit statuses. */
export function gitlabForge(options: GitlabForgeOptions): ForgeClient {
  const api = new Gitlab({ host: options.baseUrl, token: options.token });
  const project = /^\d+$/.test(options.repository)
    ? Number(options.repository)
    : options.repository;
  const call = <T>(name: string, run: () => Promise<T>) => forgeCall('gitlab', name, run);
  return {
    listComments: (mr) =>
      call('list notes', async () => {
        const notes = await api.MergeRequestNotes.all(project, mr, { perPage: 100 });
        return notes.map((n) => ({ id: n.id, body: n.body ?? '' }));
      }),
    createComment: (mr, body) =>
      call('create note', async () => {
        await api.MergeRequestNotes.create(project, mr, body);
      }),
    updateComment: (mr, id, body) =>
      call('update note', async () => {
        await api.MergeRequestNotes.edit(project, mr, id, { body });
      }),
    setStatus: (s) =>
      call('create status', async () => {
        await api.Commits.editStatus(project, s.sha, s.state === 'failure' ? 'failed' : s.state, {
          name: s.context,
          description: s.description,
        });
      }),
  };
}
