/** How a rule's path is compared with a request's (`ImplementationSpecific` is served as Prefix). */
export type PathMatchType = 'Exact' | 'Prefix';

/**
 * Kubernetes' path matching. Exact: the request path equals the rule's, case-sensitively.
 * Prefix: the rule's path, split on `/` (trailing slash ignored), is an element-wise prefix of
 * the request path's: `/foo` matches `/foo`, `/foo/` and `/foo/bar`, never `/foobar`; `/`
 * matches everything. The request path is the raw path, without the query string.
 */
export function pathMatches(type: PathMatchType, rulePath: string, requestPath: string): boolean {
  if (type === 'Exact') return rulePath === requestPath;
  const rule = elements(rulePath);
  const request = elements(requestPath);
  if (rule.length > request.length) return false;
  return rule.every((e, i) => e === request[i]);
}

/** The non-empty `/`-separated elements of a path. */
function elements(path: string): string[] {
  return path.split('/').filter((e) => e !== '');
}
