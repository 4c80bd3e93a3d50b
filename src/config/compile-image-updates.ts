import { createRequire } from 'node:module';
import { parseDuration } from '../util/duration.js';
import type { ImageTagPolicy, ImageUpdateConfig, SourceRef } from './berth-config.js';
import { ConfigError } from './config-error.js';
import type { BerthConfigFile } from './generated/berth-config-file.js';

type ImageUpdateFile = NonNullable<
  NonNullable<BerthConfigFile['sources']>[number]['imageUpdates']
>[number];

/**
 * `sources[i].imageUpdates` compiled: names defaulted and unique, the image a repository without
 * tag or digest, the semver range parsed, the filter's pattern compiled (Go's `(?P<name>` read as
 * JavaScript's `(?<name>`) and every group its `extract` names present, durations in ms. Errors
 * carry `data.pointer` (a JSON pointer into berth.yaml) so the loader names file:line:col.
 */
export function compileImageUpdates(
  raw: readonly ImageUpdateFile[],
  index: number,
  source: string,
  ref: SourceRef,
  defaultAuthor: { name: string; email: string },
): ImageUpdateConfig[] {
  const seen = new Set<string>();
  return raw.map((u, i) => {
    const at = `sources[${index}].imageUpdates[${i}]`;
    const fail = (field: string, message: string): never => {
      throw new ConfigError(`${at}${field ? `.${field}` : ''} (${source}): ${message}`, {
        field: `${at}${field ? `.${field}` : ''}`,
        pointer: `/sources/${index}/imageUpdates/${i}${field ? `/${field.replace(/\./g, '/')}` : ''}`,
      });
    };
    if (!('branch' in ref)) {
      fail('', 'image updates commit to a branch: the source follows a tag or a pinned commit');
    }
    const image = u.image;
    const last = image.split('/').at(-1) ?? '';
    if (image.includes('@') || last.includes(':')) {
      fail(
        'image',
        `"${image}" must name a repository without tag or digest (registry/repository)`,
      );
    }
    if (!/^[A-Za-z0-9.[\]:-]+(\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/.test(image)) {
      fail('image', `"${image}" is not an image repository (registry/repository, lower case)`);
    }
    const name =
      u.name ??
      last
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .replace(/^-+|-+$/g, '');
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
      fail('image', `cannot make a name of "${last}": give imageUpdates[].name`);
    }
    if (seen.has(name))
      fail(u.name ? 'name' : 'image', `the name "${name}" is used twice in this source`);
    seen.add(name);
    const policy = compilePolicy(u.policy, fail);
    const filterTags = u.filterTags ? compileFilter(u.filterTags, fail) : undefined;
    return {
      name,
      image,
      policy,
      ...(filterTags ? { filterTags } : {}),
      intervalMs: parseDuration(u.interval ?? '1m'),
      author: {
        name: u.authorName ?? defaultAuthor.name,
        email: u.authorEmail ?? defaultAuthor.email,
      },
    };
  });
}

function compilePolicy(
  p: ImageUpdateFile['policy'],
  fail: (field: string, message: string) => never,
): ImageTagPolicy {
  if (p.semver !== undefined) {
    const range = typeof p.semver === 'string' ? p.semver : p.semver.range;
    const field = typeof p.semver === 'string' ? 'policy.semver' : 'policy.semver.range';
    // Loaded only for a semver policy: every command reads the configuration, few need semver.
    const semver = createRequire(import.meta.url)('semver') as typeof import('semver');
    if (semver.validRange(range) === null) {
      fail(field, `"${range}" is not a semver range (like ">=1.0.0 <2" or "^1.2")`);
    }
    return { semver: { range } };
  }
  const order = (o: 'asc' | 'desc' | { order?: 'asc' | 'desc' }) =>
    (typeof o === 'string' ? o : o.order) ?? 'asc';
  if (p.alphabetical !== undefined) return { alphabetical: { order: order(p.alphabetical) } };
  if (p.numerical !== undefined) return { numerical: { order: order(p.numerical) } };
  return fail('policy', 'give one of semver, alphabetical or numerical');
}

function compileFilter(
  f: NonNullable<ImageUpdateFile['filterTags']>,
  fail: (field: string, message: string) => never,
): { pattern: string; extract?: string } {
  // Flux's patterns are Go regular expressions: `(?P<name>…)` is JavaScript's `(?<name>…)`.
  const pattern = f.pattern.replace(/\(\?P</g, '(?<');
  let groups: { count: number; names: Set<string> };
  try {
    // An alternative that matches the empty string: its match lists every group of pattern.
    const empty = new RegExp(`(?:${pattern})|`).exec('') as RegExpExecArray;
    groups = { count: empty.length - 1, names: new Set(Object.keys(empty.groups ?? {})) };
  } catch (err) {
    return fail(
      'filterTags.pattern',
      `"${f.pattern}" is not a regular expression: ${(err as Error).message}`,
    );
  }
  if (f.extract !== undefined) {
    for (const m of f.extract.matchAll(/\$(?:\{(\w+)\}|(\w+))/g)) {
      const key = (m[1] ?? m[2]) as string;
      const known = /^\d+$/.test(key) ? Number(key) <= groups.count : groups.names.has(key);
      if (!known) {
        fail(
          'filterTags.extract',
          `"${f.extract}" names the group $${key}, which pattern "${f.pattern}" does not have`,
        );
      }
    }
  }
  return { pattern, ...(f.extract !== undefined ? { extract: f.extract } : {}) };
}
