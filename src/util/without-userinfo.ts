/**
 * A repository URL fit for output: user and password removed. Anything that is not a URL (a
 * local path) is returned as it is.
 */
export function withoutUserinfo(repo: string): string {
  try {
    const u = new URL(repo);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    // Not a URL the parser takes (or a local path): still never let `scheme://user:pw@` through.
    return repo.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, '$1');
  }
}
