/** HTML text: every interpolated value goes through {@link esc}. */
export type Html = { readonly html: string };

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A template tag: strings are escaped, {@link Html} values and arrays of them are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += part(v) + (strings[i + 1] ?? '');
  });
  return { html: out };
}

function part(v: unknown): string {
  if (v === undefined || v === null || v === false) return '';
  if (Array.isArray(v)) return v.map(part).join('');
  if (typeof v === 'object' && 'html' in (v as object)) return (v as Html).html;
  return esc(v);
}

/** Options of {@link layout}. */
export interface LayoutOptions {
  /** Whether live updates refresh `<main>`. Default true. */
  live?: boolean;
  /** The URLs of the stylesheet and script (content-hashed). Default the plain `/assets/dashboard.*`. */
  assets?: { css: string; js: string };
  /** The reader's dashboard session: the page carries its CSRF token and a log-out button. */
  session?: { csrf: string };
}

/** The whole page: header, navigation, `<main>` (what live updates replace), the script. */
export function layout(title: string, main: Html, options: LayoutOptions = {}): string {
  const assets = options.assets ?? { css: '/assets/dashboard.css', js: '/assets/dashboard.js' };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Berth</title>
<link rel="stylesheet" href="${esc(assets.css)}">
<script src="${esc(assets.js)}" defer></script>
${options.session ? `<meta name="berth-csrf" content="${esc(options.session.csrf)}">\n` : ''}</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Berth"><a href="/" class="brand">Berth</a> <a href="/">Sources</a>${
    options.session
      ? ` <form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="${esc(options.session.csrf)}"><button type="submit">Log out</button></form>`
      : ' <a href="/login">Log in</a>'
  }</nav>
<div id="announce" role="status" aria-live="polite"></div></header>
<main id="main" data-live="${options.live === false ? '0' : '1'}">${main.html}</main>
<dialog id="dialog" aria-labelledby="dialog-title"><form method="dialog">
<h2 id="dialog-title"></h2><div id="dialog-body"></div>
<div class="buttons"><button value="cancel" type="submit">Cancel</button> <button id="dialog-ok" value="ok" type="submit">OK</button></div>
</form></dialog>
</body>
</html>
`;
}

/** Just `<main>`'s content, for a live update (request header `x-berth-fragment: main`). */
export function fragment(main: Html): string {
  return main.html;
}

/** A health or sync badge: a word with a colour class. */
export function badge(word: string | undefined): Html {
  const w = word ?? 'Unknown';
  return html`<span class="badge b-${w.toLowerCase()}">${w}</span>`;
}

/** `3m ago`, as kubectl's AGE. */
export function ago(iso: string | undefined | null, now: Date): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.floor(s / 60)}m ago`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** A 7-character SHA in `<code>`, with the full one as its title. */
export function sha(value: string | undefined | null): Html {
  return value ? html`<code title="${value}">${value.slice(0, 7)}</code>` : html`<span>none</span>`;
}
