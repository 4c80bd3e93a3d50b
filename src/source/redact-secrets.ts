/** `text` with every occurrence of each non-empty secret (raw and URL-encoded) replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      out = out.split(form).join('***');
  }
  return out;
}
