import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The dashboard's static files: `dashboard/` at the package root (next to `dist/` and `src/`). */
export const ASSETS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'dashboard',
);

const TYPES: Record<string, string> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/** One static file, read once at start: its bytes, compressed forms and content hash. */
export interface DashboardAsset {
  /** `dashboard.js` */
  file: string;
  /** `/assets/dashboard.<hash>.js`: the URL pages link, cached for a year (immutable). */
  url: string;
  type: string;
  /** A strong ETag: the content hash, quoted. */
  etag: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/**
 * Reads the dashboard's script and stylesheet once and names each by its content hash
 * (`/assets/dashboard.<12 hex>.js`), so a page links the exact bytes it was rendered for and a
 * browser keeps them for good; compresses each once (gzip and brotli, best ratio).
 */
export function loadDashboardAssets(dir = ASSETS_DIR): Map<string, DashboardAsset> {
  const assets = new Map<string, DashboardAsset>();
  for (const [file, type] of Object.entries(TYPES)) {
    const body = readFileSync(path.join(dir, file));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const ext = path.extname(file);
    assets.set(file, {
      file,
      url: `/assets/${path.basename(file, ext)}.${hash}${ext}`,
      type,
      etag: `"${hash}"`,
      body,
      gzip: gzipSync(body, { level: 9 }),
      br: brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
    });
  }
  return assets;
}

/** The encoding to answer with, from `Accept-Encoding`: `br`, `gzip`, or none. */
export function pickEncoding(
  acceptEncoding: string | string[] | undefined,
): 'br' | 'gzip' | undefined {
  const value = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  const accepted = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}
