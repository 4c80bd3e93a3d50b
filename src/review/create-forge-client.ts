import { type ReviewConfig, readSecret } from '../config/index.js';
import type { ForgeClient } from './forge-client.js';
import { giteaForge } from './gitea-forge.js';
import { githubForge } from './github-forge.js';
import { gitlabForge } from './gitlab-forge.js';

/**
 * The adapter for a source's `review` configuration, its token read now with readSecret (throws
 * ConfigError naming the variable or file, never the value).
 */
export function createForgeClient(
  review: ReviewConfig,
  env: NodeJS.ProcessEnv = process.env,
): ForgeClient {
  const options = {
    baseUrl: review.baseUrl,
    repository: review.repository,
    token: readSecret(review.token, env),
  };
  switch (review.forge) {
    case 'github':
      return githubForge(options);
    case 'gitlab':
      return gitlabForge(options);
    case 'gitea':
      return giteaForge(options);
  }
}
