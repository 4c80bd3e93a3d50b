import semver from 'semver';

/** How the newest tag is chosen, as Flux's ImagePolicy `spec.policy`. */
export type TagPolicy =
  | { semver: { range: string } }
  | { alphabetical: { order?: 'asc' | 'desc' } }
  | { numerical: { order?: 'asc' | 'desc' } };

/** Flux's `filterTags`: keep the tags matching `pattern`; compare by `extract` (`$1`, `$name`). */
export interface TagFilter {
  pattern: string;
  /** Replacement template over the pattern's groups; default: the whole tag. */
  extract?: string;
}

/**
 * The tag a policy picks among `tags`, as Flux's image-reflector does: filtered by `filter`
 * (the compared value is the extraction), then the highest version in the semver range
 * (`v` prefix and missing minor/patch accepted, prereleases only when the range names one),
 * the last in alphabetical (`asc`, default) or the first (`desc`) order, or the largest
 * (`asc`) / smallest (`desc`) number. `skip` tags are never picked (a reverted tag). Undefined
 * when no tag qualifies. Throws on a bad pattern or range.
 */
export function latestTag(
  tags: readonly string[],
  policy: TagPolicy,
  filter?: TagFilter,
  skip: ReadonlySet<string> = new Set(),
): string | undefined {
  const pattern = filter ? new RegExp(filter.pattern) : undefined;
  const candidates: Array<{ tag: string; value: string }> = [];
  for (const tag of tags) {
    if (skip.has(tag)) continue;
    if (!pattern) {
      candidates.push({ tag, value: tag });
      continue;
    }
    const m = pattern.exec(tag);
    if (!m) continue;
    const value = filter?.extract ? expand(filter.extract, m) : tag;
    candidates.push({ tag, value });
  }
  if ('semver' in policy) {
    const range = new semver.Range(policy.semver.range);
    let best: { tag: string; version: semver.SemVer } | undefined;
    for (const c of candidates) {
      const version = lenientVersion(c.value);
      if (!version || !range.test(version)) continue;
      if (!best || semver.gt(version, best.version)) best = { tag: c.tag, version };
    }
    return best?.tag;
  }
  if ('alphabetical' in policy) {
    const sorted = [...candidates].sort((a, b) =>
      a.value < b.value ? -1 : a.value > b.value ? 1 : 0,
    );
    return (policy.alphabetical.order === 'desc' ? sorted[0] : sorted.at(-1))?.tag;
  }
  const numbers = candidates
    .filter((c) => c.value.trim() !== '')
    .map((c) => ({ tag: c.tag, n: Number(c.value) }))
    .filter((c) => Number.isFinite(c.n));
  numbers.sort((a, b) => a.n - b.n);
  return (policy.numerical.order === 'desc' ? numbers[0] : numbers.at(-1))?.tag;
}

/** `1`, `v1.2`, `1.2.3-rc.1+b`: a version as Masterminds' lenient parser reads it. */
function lenientVersion(value: string): semver.SemVer | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(value);
  if (!m) return undefined;
  const text = `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}${m[4] ?? ''}${m[5] ?? ''}`;
  return semver.parse(text) ?? undefined;
}

/** Expands `$1`, `${1}`, `$name`, `${name}` with a match's groups (Go's Regexp.Expand). */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, braced: string, bare: string) => {
    const key = braced ?? bare;
    const value = /^\d+$/.test(key) ? m[Number(key)] : m.groups?.[key];
    return value ?? '';
  });
}
