import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** How log lines are written: `text` is `time LEVEL message key=value ...`, `json` one object a line. */
export type LogFormat = 'text' | 'json';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. Default `info`. */
  level?: string;
  /** Line format. Default `text` when stderr is a terminal, else `json`. */
  format?: LogFormat;
  /** Where lines go. Default stderr. */
  destination?: { write(line: string): unknown };
}

/**
 * Keys whose values are never written, wherever they appear in a log record: Berth logs
 * structured objects, and a secret must not reach a log through one of them.
 */
export const REDACTED_KEYS = ['password', 'token', 'secret', 'authorization', 'webhookSecret'];

/** A structured logger (pino) with secret keys redacted; `text` format for people, `json` for machines. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const format = options.format ?? (process.stderr.isTTY ? 'text' : 'json');
  const stream =
    format === 'json' ? destination : { write: (line: string) => destination.write(toText(line)) };
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}

function toText(line: string): string {
  const { time, level, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
  return `${String(time)} ${String(level).toUpperCase().padEnd(5)} ${String(msg ?? '')}${fields ? ` ${fields}` : ''}\n`;
}

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}
