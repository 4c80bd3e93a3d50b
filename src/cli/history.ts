import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { revisionList as asList } from '../kubectl/revision-list.js';
import type { HistoryRecord } from '../store/index.js';
import { escapeControl } from '../util/escape-control.js';
import { type CliContext, EXIT } from './context.js';

/** Options of `berth history`, as commander parses them. */
interface HistoryCliOptions {
  output?: string;
  limit: string;
  config?: string;
}

/**
 * `berth history <source>`: the revisions the source saw, newest first, with when, why (trigger),
 * the outcome, and the links between a reverted commit and its revert. Exit 0, 1 when Redis
 * does not answer, 2 on a usage error or an unknown source.
 */
export function registerHistory(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description('List the revisions a source saw: time, trigger, outcome, and reverts')
    .argument('<source>', 'a source of berth.yaml')
    .option('-o, --output <format>', 'json or yaml (default: a table)')
    .option('--limit <n>', 'at most this many revisions', '50')
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .action(async (name: string, opts: HistoryCliOptions) => {
      const limit = Number(opts.limit);
      if (opts.output !== undefined && opts.output !== 'json' && opts.output !== 'yaml') {
        throw new ConfigError(`--output must be json or yaml, not "${opts.output}"`);
      }
      if (!Number.isInteger(limit) || limit < 1)
        throw new ConfigError(`--limit must be a positive whole number, not "${opts.limit}"`);
      const [{ loadConfig }, { connectRedis, HistoryStore }] = await Promise.all([
        import('../config/index.js'),
        import('../store/index.js'),
      ]);
      const config = loadConfig({
        env: ctx.env,
        cwd: ctx.cwd,
        ...(opts.config ? { path: opts.config } : {}),
      });
      if (!config.sources.some((s) => s.name === name)) {
        throw new ConfigError(
          `no source "${name}" in ${config.file ?? 'the configuration'}; sources: ${config.sources.map((s) => s.name).join(', ') || 'none'}`,
        );
      }
      const redis = await connectRedis(config.redis.url, { maxRetriesPerRequest: 1 });
      let records: HistoryRecord[];
      try {
        records = await new HistoryStore(redis, config.redis.keyPrefix).list(name, limit);
      } finally {
        redis.disconnect();
      }
      if (opts.output === 'json')
        ctx.stdout.write(`${JSON.stringify(asList(name, records), null, 2)}\n`);
      else if (opts.output === 'yaml')
        ctx.stdout.write((await import('yaml')).stringify(asList(name, records)));
      else ctx.stdout.write(table(records, new Date()));
      ctx.exitCode = EXIT.ok;
    });
}

function table(records: HistoryRecord[], now: Date): string {
  if (records.length === 0) return 'No revisions recorded yet.\n';
  const rows = records.map((r) => [
    r.revision.slice(0, 7),
    age(now.getTime() - Date.parse(r.seenAt)),
    r.trigger,
    r.result === 'Invalid' ? `Invalid (${r.errors} error${r.errors === 1 ? '' : 's'})` : r.result,
    [
      r.reverts.length > 0 ? `reverts ${r.reverts.map((s) => s.slice(0, 7)).join(', ')}` : '',
      r.revertedBy ? `reverted by ${r.revertedBy.slice(0, 7)}` : '',
    ]
      .filter(Boolean)
      .join('; ') || '<none>',
    escapeControl(r.subject),
  ]);
  const header = ['REVISION', 'AGE', 'TRIGGER', 'RESULT', 'LINKS', 'SUBJECT'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('   ')
      .trimEnd();
  // Notes (an image update skipped because its tag was rolled back) go on lines of their own.
  const lines = [line(header)];
  records.forEach((r, i) => {
    lines.push(line(rows[i] as string[]));
    for (const note of r.notes ?? []) lines.push(`${' '.repeat(9)}note: ${escapeControl(note)}`);
  });
  return `${lines.join('\n')}\n`;
}

/** kubectl's AGE: the largest unit, `45s`, `12m`, `3h`, `5d`. */
function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
