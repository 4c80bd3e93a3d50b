import type { BerthConfig } from '../config/index.js';
import type { ValidateOptions } from '../manifests/index.js';

/** The validation policy of `berth.yaml` (`policy:`), as the manifests layer takes it; `strict` forces strict. */
export function validatePolicy(config: BerthConfig, strict = false): ValidateOptions {
  return {
    podSecurity: config.policy.podSecurity,
    allowNamespaceOverride: config.policy.allowNamespaceOverride,
    strict: strict || config.policy.strict,
    ignoredKinds: config.policy.ignoredKinds,
    hostPathAllowed: config.policy.hostPathAllowed,
  };
}

/** `https://host/org/shop.git` and `/srv/shop` both give `shop`, made a valid source name. */
export function defaultSourceName(repo: string): string {
  const last = repo.replace(/\/+$/, '').split('/').at(-1) ?? 'default';
  const name = last
    .replace(/\.git$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name.slice(0, 63) || 'default';
}
