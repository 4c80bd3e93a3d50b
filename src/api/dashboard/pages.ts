import { stringify } from 'yaml';
import { type ResourceKind, resolveKind } from '../../kubectl/resource-kinds.js';
import { asKind } from '../../store/as-kind.js';
import type { TreeNode } from '../object-tree.js';
import type { StateReader } from '../state-reader.js';
import { ago, badge, type Html, html, sha } from './html.js';

// biome-ignore lint/suspicious/noExplicitAny: API resources are plain JSON here
type Any = Record<string, any>;

/** A page: its title, `<main>`'s content, and whether live updates refresh it. */
export interface Page {
  title: string;
  main: Html;
  live?: boolean;
}

/** Short names shown as a node's kind icon. */
const ICON: Record<string, string> = {
  Deployment: 'deploy',
  ReplicaSet: 'rs',
  Pod: 'pod',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  Service: 'svc',
  Endpoints: 'ep',
  Ingress: 'ing',
  ConfigMap: 'cm',
  Secret: 'secret',
  PersistentVolumeClaim: 'pvc',
  Job: 'job',
  CronJob: 'cj',
  Namespace: 'ns',
};

/** `/`: every source with its revisions, sync, health and last error. */
export async function sourcesPage(state: StateReader, now: Date): Promise<Page> {
  const list = (await state.sources()).items as Any[];
  const rows = await Promise.all(
    list.map(async (s) => {
      const name = s.metadata.name as string;
      const history = ((await state.history(name, 30)).items as Any[]) ?? [];
      const st: Any = s.status;
      const applied = history.find((r) => r.metadata.name === st.revision);
      const target = history.find((r) => r.metadata.name === st.targetRevision);
      const message =
        st.flag ?? st.sync?.message ?? (st.health?.status !== 'Healthy' ? st.health?.message : '');
      return html`<tr>
<th scope="row"><a href="/sources/${name}">${name}</a></th>
<td>${s.spec.repo}<br><span class="muted">${s.spec.ref}</span></td>
<td>${revisionCell(st.revision, applied, now)}</td>
<td>${st.targetRevision && st.targetRevision !== st.revision ? revisionCell(st.targetRevision, target, now) : html`<span class="muted">same</span>`}</td>
<td>${badge(st.sync?.status)}</td>
<td>${badge(st.health?.status)}${st.total !== undefined ? html` <span class="muted">${st.ready}/${st.total}</span>` : ''}</td>
<td>${s.spec.suspend ? badge('Suspended') : ''}${st.pinnedRevision ? html`<span class="badge b-degraded">pinned ${st.pinnedRevision.slice(0, 7)}</span>` : ''}${st.flag ? html`<span class="badge b-degraded">flagged</span>` : ''}</td>
<td>${ago(st.lastSyncTime, now)}</td>
<td class="msg">${message ?? ''}</td>
</tr>`;
    }),
  );
  return {
    title: 'Sources',
    main: html`<h1>Sources</h1>
${
  list.length === 0
    ? html`<p>No sources configured.</p>`
    : html`<table class="grid"><caption class="sr-only">Sources</caption><thead><tr>
<th scope="col">Source</th><th scope="col">Repository</th><th scope="col">Applied</th><th scope="col">Target</th>
<th scope="col">Sync</th><th scope="col">Health</th><th scope="col">State</th><th scope="col">Last sync</th><th scope="col">Message</th>
</tr></thead><tbody>${rows}</tbody></table>`
}`,
  };
}

function revisionCell(revision: string | undefined, entry: Any | undefined, now: Date): Html {
  if (!revision) return html`<span class="muted">none</span>`;
  return html`${sha(revision)}${entry ? html` ${entry.spec.subject}<br><span class="muted">${entry.spec.author} · ${ago(entry.spec.committedAt, now)}</span>` : ''}`;
}

/** `/sources/<name>`: status, actions, the object tree, recent events. */
export async function sourcePage(
  state: StateReader,
  name: string,
  now: Date,
): Promise<Page | undefined> {
  // Three reads at once: the source's state, the tree (two round trips), the events.
  const [s, tree, events] = await Promise.all([
    state.source(name) as Promise<Any | undefined>,
    state.tree(name),
    state.events({ source: name, limit: 20 }),
  ]);
  if (!s) return undefined;
  const st: Any = s.status;
  return {
    title: name,
    main: html`<h1>Source ${name}</h1>
<p class="facts">${badge(st.sync?.status)} ${badge(s.spec.suspend ? 'Suspended' : st.health?.status)}
<span>applied ${sha(st.revision)}</span>
${st.targetRevision && st.targetRevision !== st.revision ? html`<span>target ${sha(st.targetRevision)} ${st.targetSubject ?? ''}</span>` : ''}
<span>last sync ${ago(st.lastSyncTime, now)}</span>
${st.health?.message ? html`<span class="msg">${st.health.message}</span>` : ''}
${st.flag ? html`<span class="msg">${st.flag}</span>` : ''}</p>
<div class="actions" role="group" aria-label="Actions">
<button type="button" data-action="sync" data-source="${name}">Sync now</button>
${
  s.spec.suspend
    ? html`<button type="button" data-action="resume" data-source="${name}">Resume</button>`
    : html`<button type="button" data-action="suspend" data-source="${name}">Suspend</button>`
}
<button type="button" data-action="rollback" data-source="${name}">Roll back last commit…</button>
<a href="/sources/${name}/history">History</a>
</div>
<h2 id="tree-title">Objects</h2>
${tree.length === 0 ? html`<p>No objects applied yet.</p>` : html`<ul class="tree" aria-labelledby="tree-title">${tree.map((n) => treeNode(n, 1))}</ul>`}
<h2>Events</h2>
${eventsTable(events.items as Any[], now)}`,
  };
}

function treeNode(n: TreeNode, level: number): Html {
  const kind = safeKind(n.kind);
  const href = kind ? objectHref(kind, n.namespace, n.name) : undefined;
  return html`<li data-key="${n.key}" data-health="${n.health}" data-level="${level}">
<span class="node"><span class="icon k-${(ICON[n.kind] ?? 'obj').toLowerCase()}" aria-hidden="true">${ICON[n.kind] ?? n.kind}</span>
${href && !n.reference ? html`<a href="${href}">${n.kind} ${n.name}</a>` : html`<span>${n.kind} ${n.name}${n.reference ? ' (routes to)' : ''}</span>`}
${badge(n.health)} <span class="muted">${n.status}</span>${n.healthMessage ? html` <span class="msg">${n.healthMessage}</span>` : ''}</span>
${n.children.length > 0 ? html`<ul>${n.children.map((c) => treeNode(c, level + 1))}</ul>` : ''}</li>`;
}

function eventsTable(events: Any[], now: Date): Html {
  if (events.length === 0) return html`<p>No events.</p>`;
  return html`<table class="grid events"><caption class="sr-only">Events</caption><thead><tr><th scope="col">Type</th><th scope="col">Reason</th><th scope="col">Object</th><th scope="col">Age</th><th scope="col">Message</th></tr></thead><tbody>
${events.map(
  (e) =>
    html`<tr class="${e.type === 'Warning' ? 'warn' : ''}"><td>${e.type}</td><td>${e.reason}</td><td>${e.involvedObject.kind}/${e.involvedObject.name}</td><td>${ago(e.lastTimestamp, now)}</td><td>${e.message}</td></tr>`,
)}</tbody></table>`;
}

/** `/sources/<name>/history`: the revisions, newest first, with trigger, health, reverts and plans. */
export async function historyPage(
  state: StateReader,
  name: string,
  now: Date,
): Promise<Page | undefined> {
  const s = (await state.source(name)) as Any | undefined;
  if (!s) return undefined;
  const items = (await state.history(name, 100)).items as Any[];
  const current = s.status.revision as string | undefined;
  return {
    title: `${name} history`,
    main: html`<h1>History of <a href="/sources/${name}">${name}</a></h1>
${
  items.length === 0
    ? html`<p>No revisions recorded yet.</p>`
    : html`<ol class="timeline" aria-label="Revisions, newest first">${items.map((r) => {
        const st: Any = r.status;
        const health: string | undefined = st.health?.status;
        const rev = r.metadata.name as string;
        return html`<li id="rev-${rev}" data-revision="${rev}" class="${st.result === 'Invalid' ? 'invalid' : ''}">
<div class="rev-head">${sha(rev)} <strong>${r.spec.subject}</strong> ${rev === current ? html`<span class="badge b-synced">applied</span>` : ''}</div>
<div class="muted">${r.spec.author} · ${st.trigger} · seen ${ago(st.seenAt, now)}</div>
<div>${badge(st.result === 'Invalid' ? 'Invalid' : 'Valid')}${st.result === 'Invalid' ? ` ${st.errors} error(s)` : ''} ${health ? badge(health) : ''}${st.health?.message ? html` <span class="msg">${st.health.message}</span>` : ''}</div>
<div class="links">${(r.spec.reverts as string[]).map((x) => html`reverts <a href="#rev-${x}">${x.slice(0, 7)}</a> `)}${st.revertedBy ? html`reverted by <a href="#rev-${st.revertedBy}">${st.revertedBy.slice(0, 7)}</a> ` : ''}
<a href="/sources/${name}/revisions/${rev}">plan</a>
${st.result === 'Valid' && rev !== current ? html`<button type="button" data-action="rollback" data-source="${name}" data-to="${rev}">Roll back to ${rev.slice(0, 7)}…</button>` : ''}</div>
</li>`;
      })}</ol>`
}`,
  };
}

/** `/sources/<name>/revisions/<sha>`: the plan Berth made of a revision when it saw it. */
export async function revisionPage(
  state: StateReader,
  name: string,
  revision: string,
): Promise<Page | undefined> {
  if (!(await state.sourceNames()).includes(name)) return undefined;
  const text = await state.revisionPlan(name, revision);
  return {
    title: `${name} ${revision.slice(0, 7)}`,
    live: false,
    main: html`<h1>Plan of ${sha(revision)} (<a href="/sources/${name}/history">${name}</a>)</h1>
${text === undefined ? html`<p>No plan kept for this revision (plans are kept 7 days).</p>` : diffBlock(text)}`,
  };
}

/** A plan's text with its diff lines marked (added, removed, hunk headers). */
export function diffBlock(text: string): Html {
  return html`<pre class="plan">${text.split('\n').map((line) => {
    const cls =
      line.startsWith('+++') || line.startsWith('---')
        ? 'file'
        : line.startsWith('+')
          ? 'add'
          : line.startsWith('-')
            ? 'del'
            : line.startsWith('@@')
              ? 'hunk'
              : '';
    return cls ? html`<span class="${cls}">${line}</span>\n` : html`${line}\n`;
  })}</pre>`;
}

/** `/objects/<resource>/<namespace>/<name>`: the object's YAML (Secrets redacted), events, a pod's logs. */
export async function objectPage(
  state: StateReader,
  resource: string,
  namespace: string,
  name: string,
  now: Date,
): Promise<Page | undefined> {
  const kind = safeKind(resource);
  if (!kind) return undefined;
  const ns = kind.namespaced ? namespace : '';
  const object = await state.object(kind, ns, name);
  if (!object) return undefined;
  const events = await state.events({ object: { kind: kind.kind, namespace: ns, name } });
  const source = object.metadata.annotations?.['berth.dev/source'];
  const containers =
    kind.kind === 'Pod' ? asKind('Pod', object).spec.containers.map((c) => c.name) : [];
  return {
    title: `${kind.kind} ${name}`,
    live: false,
    main: html`<h1>${kind.kind} ${ns ? `${ns}/` : ''}${name}</h1>
${source ? html`<p><a href="/sources/${source}">source ${source}</a></p>` : ''}
${
  kind.kind === 'Pod'
    ? html`<section aria-labelledby="logs-title" class="logs" data-namespace="${ns}" data-pod="${name}">
<h2 id="logs-title">Logs</h2>
<form class="log-controls">
<label>Container <select name="container">${containers.map((c) => html`<option>${c}</option>`)}</select></label>
<label>Tail <input name="tail" type="number" min="0" max="100000" value="200"></label>
<button type="button" data-logs="load">Show</button> <button type="button" data-logs="follow" aria-pressed="false">Follow</button>
</form>
<pre class="log" tabindex="0" aria-label="Log output" aria-live="off"></pre>
</section>`
    : ''
}
<h2>YAML</h2>
<pre class="yaml" tabindex="0">${stringify(object)}</pre>
<h2>Events</h2>
${eventsTable(events.items as Any[], now)}`,
  };
}

/** The dashboard path of an object. */
export function objectHref(kind: ResourceKind, namespace: string, name: string): string {
  return `/objects/${kind.plural}/${kind.namespaced ? namespace : '_'}/${name}`;
}

function safeKind(name: string): ResourceKind | undefined {
  try {
    return resolveKind(name);
  } catch {
    return undefined;
  }
}
