import { spawn } from 'node:child_process';
import { ProxyError } from './proxy-error.js';
import type { CompiledProxyOptions } from './proxy-options.js';
import type { CurrentTables, ProxyTable } from './restore-plan.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A process that exits early closes its stdin: its exit code and stderr tell why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** `iptables-save` of the nat and filter tables. Throws `IptablesSaveFailed`. */
export async function saveTables(options: CompiledProxyOptions): Promise<CurrentTables> {
  const read = async (table: ProxyTable): Promise<string> => {
    const result = await run(options.iptablesSave, ['-t', table]).catch((err: Error) => ({
      code: -1,
      stdout: '',
      stderr: err.message,
    }));
    if (result.code !== 0)
      throw new ProxyError(
        'IptablesSaveFailed',
        `iptables-save -t ${table} failed: ${result.stderr.trim()}`,
        {
          table,
          stderr: result.stderr.trim(),
        },
      );
    return result.stdout;
  };
  return { nat: await read('nat'), filter: await read('filter') };
}

/**
 * Feeds `input` to `iptables-restore --noflush` (each table one transaction). Throws
 * `IptablesRestoreFailed` with the failing line's number and text when iptables names one.
 */
export async function restoreTables(options: CompiledProxyOptions, input: string): Promise<void> {
  if (input === '') return;
  const args = ['--noflush', '--wait', String(options.lockWaitSeconds)];
  const result = await run(options.iptablesRestore, args, input).catch((err: Error) => ({
    code: -1,
    stdout: '',
    stderr: err.message,
  }));
  if (result.code === 0) return;
  const stderr = result.stderr.trim();
  const lines = input.split('\n');
  let lineNumber = Number(/line:? (\d+)/i.exec(stderr)?.[1] ?? Number.NaN);
  // nf_tables reports some errors at COMMIT: point at the first line naming what it quotes.
  const quoted = /'([^']+)'/.exec(stderr)?.[1];
  if (lines[lineNumber - 1] === 'COMMIT' && quoted) {
    const at = lines.findIndex((l) => l.startsWith('-') && l.includes(quoted));
    if (at >= 0) lineNumber = at + 1;
  }
  const line = Number.isNaN(lineNumber) ? undefined : lines[lineNumber - 1];
  throw new ProxyError(
    'IptablesRestoreFailed',
    line === undefined
      ? `iptables-restore failed: ${stderr}`
      : `iptables-restore failed at line ${lineNumber} "${line}": ${stderr}`,
    { stderr, ...(line === undefined ? {} : { lineNumber, line }) },
  );
}
