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
    return repo;
  }
}
