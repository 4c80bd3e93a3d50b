/** sops's stores, chosen by file name as sops chooses them. */
export type SopsFormat = 'yaml' | 'json' | 'dotenv' | 'binary';

/**
 * The store sops uses for a path (`cmd/sops/formats`): `.yaml`/`.yml` YAML, `.json` JSON,
 * `.env` dotenv, anything else the binary store (a JSON envelope whose `data` is the file).
 * `.ini` files are read as binary by Berth (sops has an INI store; Berth does not).
 */
export function formatOf(path: string): SopsFormat {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base.endsWith('.yaml') || base.endsWith('.yml')) return 'yaml';
  if (base.endsWith('.json')) return 'json';
  if (base.endsWith('.env')) return 'dotenv';
  return 'binary';
}

/**
 * A cheap test that a file may be SOPS-encrypted, before any parse: the metadata key for
 * its format appears in the text. A file that passes is parsed; one that does not is left
 * alone (and checked for stray `ENC[` values by the caller).
 */
export function mayBeSops(format: SopsFormat, text: string): boolean {
  if (format === 'dotenv') return /^sops_(mac|version)=/m.test(text);
  return /(^|[\s{,])"?sops"?\s*:/m.test(text) && /\b(mac|version)\b/.test(text);
}
