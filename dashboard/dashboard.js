// Berth dashboard: live updates (Server-Sent Events), actions with the API token, pod logs.
// Plain browser JavaScript, no framework, no network but this server.
(() => {
  const main = document.getElementById('main');
  const announce = (text) => {
    const el = document.getElementById('announce');
    if (el) el.textContent = text;
  };

  // Live: any event or source change re-renders <main> from the server (debounced).
  let pending;
  const refresh = () => {
    if (main?.dataset.live !== '1') return;
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const res = await fetch(location.href, { headers: { 'x-berth-fragment': 'main' } });
      if (!res.ok) return;
      const html = await res.text();
      if (html !== main.innerHTML) main.innerHTML = html;
      document.body.dataset.updated = String(Date.now());
    }, 250);
  };
  if (window.EventSource && main?.dataset.live === '1') {
    const stream = new EventSource('/api/v1/stream');
    stream.addEventListener('event', refresh);
    stream.addEventListener('sources', refresh);
    stream.addEventListener('open', () => {
      document.body.dataset.live = 'connected';
    });
  }

  // The token: asked once, kept for this tab only.
  const dialog = document.getElementById('dialog');
  const ask = (title, body, okLabel) =>
    new Promise((resolve) => {
      document.getElementById('dialog-title').textContent = title;
      const holder = document.getElementById('dialog-body');
      holder.replaceChildren(body);
      document.getElementById('dialog-ok').textContent = okLabel;
      dialog.returnValue = '';
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.showModal();
    });
  const token = async () => {
    const kept = sessionStorage.getItem('berth-token');
    if (kept) return kept;
    const label = document.createElement('label');
    label.textContent = 'API token (berth: <state directory>/api-token) ';
    const input = document.createElement('input');
    input.type = 'password';
    input.name = 'token';
    input.autocomplete = 'off';
    label.append(input);
    if (!(await ask('API token needed', label, 'Use token'))) return undefined;
    const value = input.value.trim();
    if (value) sessionStorage.setItem('berth-token', value);
    return value || undefined;
  };
  // Logged in (a session cookie): the page carries the session's CSRF token, sent back as a
  // header. Otherwise (loopback without a login) the token is asked for and sent as a bearer.
  const csrf = document.querySelector('meta[name="berth-csrf"]')?.content;
  const act = async (path, body) => {
    const headers = { 'content-type': 'application/json' };
    if (csrf) headers['x-berth-csrf'] = csrf;
    else {
      const t = await token();
      if (!t) return undefined;
      headers.authorization = `Bearer ${t}`;
    }
    const res = await fetch(path, {
      method: 'POST',
      headers,
      body: JSON.stringify(body ?? {}),
    });
    const answer = await res.json().catch(() => ({}));
    if (res.status === 401 && !csrf) sessionStorage.removeItem('berth-token');
    if (!res.ok) {
      announce(`Refused (${res.status}): ${answer.error?.message ?? res.statusText}`);
      return undefined;
    }
    return answer;
  };
  const planSummary = (plan) => {
    const box = document.createElement('div');
    const s = plan.status?.summary ?? {};
    const p = document.createElement('p');
    p.textContent = plan.status?.valid
      ? `${s.create ?? 0} to create, ${s.update ?? 0} to update, ${s.delete ?? 0} to delete, ${s.unchanged ?? 0} unchanged`
      : 'The revision to return to is invalid: nothing would be applied.';
    box.append(p);
    const list = document.createElement('ul');
    list.className = 'revert-plan';
    for (const a of plan.status?.actions ?? []) {
      if (a.type === 'unchanged') continue;
      const li = document.createElement('li');
      li.textContent = `${a.type} ${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}${a.reason ? ` (${a.reason})` : ''}`;
      list.append(li);
    }
    box.append(list);
    return box;
  };
  document.addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-action]');
    if (!button) return;
    const { action, source, to } = button.dataset;
    const base = `/api/v1/sources/${encodeURIComponent(source)}`;
    button.disabled = true;
    try {
      if (action === 'rollback') {
        const dry = await act(`${base}/rollback`, { dryRun: true, ...(to ? { to } : {}) });
        if (!dry) return;
        const ok = await ask(
          `Roll back ${source} to ${dry.to.slice(0, 7)}? Plan of the revert:`,
          planSummary(dry.plan),
          'Commit the revert',
        );
        if (!ok) return announce('Rollback cancelled.');
        const done = await act(`${base}/rollback`, to ? { to } : {});
        if (done) announce(`Rollback committed: ${done.commit.slice(0, 7)} ${done.subject}`);
      } else {
        const done = await act(`${base}/${action}`);
        if (done) announce(`${action} ${source}: done`);
      }
      refresh();
    } finally {
      button.disabled = false;
    }
  });

  // Pod logs: tail, and follow as a stream until stopped.
  let following;
  document.addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-logs]');
    if (!button) return;
    const section = button.closest('section.logs');
    const out = section.querySelector('pre.log');
    const form = section.querySelector('form');
    const followButton = section.querySelector('button[data-logs="follow"]');
    const params = new URLSearchParams();
    const container = form.elements.container.value;
    if (container) params.set('container', container);
    if (form.elements.tail.value !== '') params.set('tail', form.elements.tail.value);
    if (following) {
      following.abort();
      following = undefined;
      followButton.setAttribute('aria-pressed', 'false');
      if (button.dataset.logs === 'follow') return;
    }
    const url = `/api/v1/namespaces/${encodeURIComponent(section.dataset.namespace)}/pods/${encodeURIComponent(section.dataset.pod)}/log`;
    if (button.dataset.logs === 'load') {
      const res = await fetch(`${url}?${params}`);
      out.textContent = res.ok
        ? await res.text()
        : `(${res.status}) ${(await res.json()).error?.message}`;
      return;
    }
    params.set('follow', 'true');
    following = new AbortController();
    followButton.setAttribute('aria-pressed', 'true');
    out.textContent = '';
    try {
      const res = await fetch(`${url}?${params}`, { signal: following.signal });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        out.textContent += decoder.decode(value, { stream: true });
        out.scrollTop = out.scrollHeight;
      }
    } catch {
      // Stopped by the user.
    }
  });
})();
