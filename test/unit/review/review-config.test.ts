import { describe, expect, it } from 'vitest';
import { ConfigError, compileConfig, parseConfigText } from '../../../src/config/index.js';

const yaml = (review: string) =>
  `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nsources:\n  - name: shop\n    repo: ./shop\n    review: ${review}\n`;
const compile = (review: string) =>
  compileConfig({ file: parseConfigText(yaml(review), 'berth.yaml'), env: {}, cwd: '/srv' })
    .sources[0];

describe('sources[].review', () => {
  it('GitHub: baseUrl defaults to api.github.com and statusContext to berth/plan', () => {
    expect(
      compile('{forge: github, repository: team/shop, token: {env: GH_TOKEN}}')?.review,
    ).toEqual({
      forge: 'github',
      baseUrl: 'https://api.github.com',
      repository: 'team/shop',
      token: { env: 'GH_TOKEN' },
      statusContext: 'berth/plan',
    });
  });

  it('GitLab: a project path or ID, the given baseUrl without its trailing slash', () => {
    const review = compile(
      '{forge: gitlab, baseUrl: "https://gitlab.example.com/", repository: "42", token: {file: /run/t}, statusContext: ci/berth}',
    )?.review;
    expect(review).toMatchObject({
      baseUrl: 'https://gitlab.example.com',
      repository: '42',
      statusContext: 'ci/berth',
    });
  });

  it('rejects GitLab or Gitea without baseUrl, naming the field', () => {
    expect(() => compile('{forge: gitea, repository: team/shop, token: {env: T}}')).toThrow(
      ConfigError,
    );
    expect(() => compile('{forge: gitlab, repository: team/shop, token: {env: T}}')).toThrow(
      /review\.baseUrl is required for gitlab/,
    );
  });

  it('rejects a GitHub repository that is not owner/name', () => {
    expect(() => compile('{forge: github, repository: shop, token: {env: T}}')).toThrow(
      /review\.repository "shop" must be owner\/name/,
    );
  });

  it('the schema rejects an unknown forge, a missing token and a token written inline', () => {
    expect(() => compile('{forge: bitbucket, repository: a/b, token: {env: T}}')).toThrow(
      ConfigError,
    );
    expect(() => compile('{forge: github, repository: a/b}')).toThrow(/token/);
    expect(() => compile('{forge: github, repository: a/b, token: ghp_inline}')).toThrow(
      ConfigError,
    );
  });
});
