import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The forges the fake answers as. */
export type ForgeName = 'github' | 'gitlab' | 'gitea';

/** One request the fake received. */
export interface ForgeRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The JSON (or form) body, parsed. */
  body: Record<string, unknown>;
  authorization: string | undefined;
  privateToken: string | undefined;
}

/** A comment (GitHub/Gitea issue comment, GitLab note) the fake holds. */
export interface FakeComment {
  id: number;
  pr: number;
  body: string;
}

/** A commit status the fake holds (the last one per sha and context/name wins, as on the forges). */
export interface FakeStatus {
  sha: string;
  state: string;
  description: string;
  context: string;
}

/** A local HTTP server answering as a forge's documented REST API does, recording every request. */
export interface FakeForge {
  /** What `review.baseUrl` should be for this forge. */
  readonly baseUrl: string;
  readonly requests: ForgeRequest[];
  readonly comments: FakeComment[];
  /** Every status posted, in order. */
  readonly statuses: FakeStatus[];
  /** When set, every request is answered with this HTTP status (500, 401...). */
  failWith: number | undefined;
  /** Holds every request unanswered until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

// Routes of the endpoints the client libraries call (GitHub REST v3, GitLab v4, Gitea v1).
const ROUTES: Record<ForgeName, { list: RegExp; edit: RegExp; status: RegExp }> = {
  github: {
    list: /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/,
    edit: /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/,
    status: /^\/repos\/[^/]+\/[^/]+\/statuses\/([0-9a-f]{40})$/,
  },
  gitea: {
    list: /^\/api\/v1\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/,
    edit: /^\/api\/v1\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/,
    status: /^\/api\/v1\/repos\/[^/]+\/[^/]+\/statuses\/([0-9a-f]{40})$/,
  },
  gitlab: {
    list: /^\/api\/v4\/projects\/[^/]+\/merge_requests\/(\d+)\/notes$/,
    edit: /^\/api\/v4\/projects\/[^/]+\/merge_requests\/\d+\/notes\/(\d+)$/,
    status: /^\/api\/v4\/projects\/[^/]+\/statuses\/([0-9a-f]{40})$/,
  },
};

/** Starts a fake `forge` on 127.0.0.1 with a random port. */
export async function startFakeForge(forge: ForgeName): Promise<FakeForge> {
  const routes = ROUTES[forge];
  let nextId = 1000;
  const fake = {
    baseUrl: '',
    requests: [] as ForgeRequest[],
    comments: [] as FakeComment[],
    statuses: [] as FakeStatus[],
    failWith: undefined as number | undefined,
    hold: () => () => {},
    close: async () => {},
  };
  let held: (() => void)[] | undefined;
  fake.hold = () => {
    held = [];
    return () => {
      const waiting = held ?? [];
      held = undefined;
      for (const answer of waiting) answer();
    };
  };
  const server = http.createServer((req, res) => {
    if (held) held.push(() => answer(req, res));
    else answer(req, res);
  });
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = parseBody(text);
      const url = new URL(req.url ?? '/', 'http://forge.local');
      fake.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body,
        authorization: req.headers.authorization,
        privateToken: req.headers['private-token'] as string | undefined,
      });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(value));
      };
      if (fake.failWith) {
        send(fake.failWith, { message: `fake ${forge} failing with ${fake.failWith}` });
        return;
      }
      const path = url.pathname;
      const list = routes.list.exec(path);
      if (list && req.method === 'GET') {
        const pr = Number(list[1]);
        send(
          200,
          fake.comments.filter((c) => c.pr === pr).map((c) => ({ id: c.id, body: c.body })),
        );
        return;
      }
      if (list && req.method === 'POST') {
        const comment = { id: nextId++, pr: Number(list[1]), body: String(body.body ?? '') };
        fake.comments.push(comment);
        send(201, { id: comment.id, body: comment.body });
        return;
      }
      const edit = routes.edit.exec(path);
      const editMethod = forge === 'gitlab' ? 'PUT' : 'PATCH';
      if (edit && req.method === editMethod) {
        const comment = fake.comments.find((c) => c.id === Number(edit[1]));
        if (!comment) {
          send(404, { message: 'Not Found' });
          return;
        }
        comment.body = String(body.body ?? '');
        send(200, { id: comment.id, body: comment.body });
        return;
      }
      const status = routes.status.exec(path);
      if (status && req.method === 'POST') {
        const posted = {
          sha: status[1] as string,
          state: String(body.state),
          description: String(body.description ?? ''),
          context: String((forge === 'gitlab' ? body.name : body.context) ?? 'default'),
        };
        fake.statuses.push(posted);
        send(201, { id: nextId++, ...posted });
        return;
      }
      send(404, { message: `fake ${forge}: no route ${req.method} ${path}` });
    });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}`;
  fake.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}

function parseBody(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
}
