import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../harness/cli.js';

// Usage errors are found before Redis is opened: these run without Redis (an unreachable URL).
const env = { BERTH_REDIS_URL: 'redis://127.0.0.1:1' };
// A directory without a berth.yaml.
const cwd = mkdtempSync(path.join(os.tmpdir(), 'berth-cli-'));

describe('berth status, get, describe, suspend, resume, down: the command line', () => {
  it('lists the commands in --help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['status', 'get', 'describe', 'suspend', 'resume', 'down'])
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it.each([
    [['get', 'widgets'], 'the server doesn\'t have a resource type "widgets"'],
    [['get', 'pods', '-o', 'table'], '--output must be one of wide, json, yaml, name, not "table"'],
    [['get', 'pods', '-l', 'app=(web'], 'unable to parse requirement "app=(web"'],
    [['get', 'pods,svc', 'web'], 'a name can only be given with one kind'],
    [['get', 'pods', 'web', '-A'], 'a name cannot be given with --all-namespaces'],
    [['describe', 'gadget', 'x'], 'the server doesn\'t have a resource type "gadget"'],
    [['status', '-o', 'wide'], '--output must be one of json, yaml, not "wide"'],
  ])('berth %j exits 2: %s', async (args, message) => {
    const run = await runCli(args, { env, cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('exits 1 when Redis does not answer, saying where it looked', async () => {
    const run = await runCli(['get', 'pods'], { env, cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Redis does not answer at redis://127.0.0.1:1');
  });
});
