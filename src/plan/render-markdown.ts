import type { PlanAction } from './plan-action.js';
import { displayName, type PlanReport, sideLabel } from './plan-report.js';
import { impactLine, SIGN } from './render-text.js';
import { syncOrderLines } from './sync-steps.js';
import { yamlDiff } from './yaml-diff.js';

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** Lines of one object's diff shown before it is cut. Default 150. */
  maxDiffLines?: number;
  /** Characters the whole comment may take (GitHub allows 65,536). Default 60,000. */
  maxLength?: number;
  /** Rows of the problems table before it is cut. Default 50. */
  maxProblems?: number;
}

/** Hidden first line of every plan comment: how a later push finds the comment to edit in place. */
export function commentMarker(source: string | undefined): string {
  return `<!-- berth-plan:${source ?? 'default'} -->`;
}

/**
 * The plan as a pull-request comment: a summary table per kind, pod impact, problems with file
 * and line, one collapsible diff per changed object, base and head SHAs. Stays readable and
 * under the forge's size limit for a change of hundreds of objects: diffs are cut, then left
 * out, with a note saying so.
 */
export function renderMarkdown(report: PlanReport, options: MarkdownOptions = {}): string {
  const maxDiffLines = options.maxDiffLines ?? 150;
  const maxLength = options.maxLength ?? 60_000;
  const maxProblems = options.maxProblems ?? 50;
  const out: string[] = [commentMarker(report.source)];
  const source = report.source ? `\`${report.source}\`: ` : '';
  out.push(
    `### Berth plan — ${source}\`${sideLabel(report.head)}\` against \`${sideLabel(report.base)}\``,
    '',
  );
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  if (!report.valid || !report.plan) {
    out.push(
      `**❌ Invalid revision: ${errors.length} error${errors.length === 1 ? '' : 's'}.** Nothing would be applied.`,
      '',
    );
    out.push(...problemTable(report.problems, maxProblems));
    out.push('', footer(report));
    return `${out.join('\n')}\n`;
  }
  const { summary, actions } = report.plan;
  const changed = actions.filter(
    (a) => a.type === 'create' || a.type === 'update' || a.type === 'delete',
  );
  out.push(
    changed.length === 0
      ? `**✅ No changes.** ${summary.unchanged} object${summary.unchanged === 1 ? '' : 's'} unchanged.`
      : `**${summary.create} to create · ${summary.update} to update · ${summary.delete} to delete** · ${summary.unchanged} unchanged${summary.keep ? ` · ${summary.keep} kept` : ''}`,
  );
  if (changed.length > 0) out.push('', ...kindTable(changed));
  if (report.impacts.length > 0) {
    out.push('', '**Pods**', '');
    for (const i of report.impacts) out.push(`- \`${i.key}\` ${escapeCell(impactLine(i))}`);
  }
  const order = syncOrderLines(report.plan);
  if (order.length > 0) {
    out.push('', '**Sync order** (each step starts once the one before is healthy)', '');
    for (const l of order) out.push(escapeCell(l));
  }
  const kept = actions.filter((a) => a.type === 'keep');
  if (kept.length > 0) {
    out.push('', '**Kept** (removed from Git, not deleted)', '');
    for (const a of kept)
      out.push(`- \`${a.kind} ${displayName(a)}\`: ${escapeCell(a.reason ?? '')}`);
  }
  if (warnings.length > 0) {
    out.push(
      '',
      `<details><summary>⚠️ ${warnings.length} warning${warnings.length === 1 ? '' : 's'}</summary>`,
      '',
    );
    out.push(...problemTable(warnings, maxProblems), '', '</details>');
  }
  const end = ['', footer(report)];
  let length = out.join('\n').length + end.join('\n').length;
  let omitted = 0;
  if (changed.length > 0) out.push('', '**Changes**');
  for (const a of changed) {
    const block = diffBlock(a, report, maxDiffLines);
    if (length + block.length + 200 > maxLength) {
      omitted++;
      continue;
    }
    out.push('', block);
    length += block.length + 1;
  }
  if (omitted > 0) {
    out.push(
      '',
      `_${omitted} more diff${omitted === 1 ? '' : 's'} left out to fit the comment: run \`berth plan\` for all of them._`,
    );
  }
  out.push(...end);
  return `${out.join('\n')}\n`;
}

function kindTable(changed: PlanAction[]): string[] {
  const rows = new Map<string, { create: number; update: number; delete: number }>();
  for (const a of changed) {
    const row = rows.get(a.kind) ?? { create: 0, update: 0, delete: 0 };
    row[a.type as 'create' | 'update' | 'delete']++;
    rows.set(a.kind, row);
  }
  return [
    '| Kind | Added | Changed | Removed |',
    '|---|---:|---:|---:|',
    ...[...rows].map(
      ([kind, r]) => `| ${kind} | ${r.create || ''} | ${r.update || ''} | ${r.delete || ''} |`,
    ),
  ];
}

function diffBlock(a: PlanAction, report: PlanReport, maxLines: number): string {
  const impact = report.impacts.find((i) => i.key === a.key);
  const title = `<code>${SIGN[a.type]} ${a.kind} ${displayName(a)}</code>${impact ? ` — ${escapeCell(impactLine(impact))}` : ''}`;
  let lines = yamlDiff(a, sideLabel(report.base), sideLabel(report.head)).trimEnd().split('\n');
  if (lines.length > maxLines)
    lines = [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more lines`];
  // A fence longer than any backtick run inside keeps the block closed whatever the YAML holds.
  const fence = '`'.repeat(
    Math.max(
      3,
      ...lines.map((l) => (l.match(/`+/g) ?? []).reduce((m, r) => Math.max(m, r.length + 1), 0)),
    ),
  );
  return [
    `<details><summary>${title}</summary>`,
    '',
    `${fence}diff`,
    ...lines,
    fence,
    '',
    '</details>',
  ].join('\n');
}

function problemTable(problems: PlanReport['problems'], max: number): string[] {
  const rows = problems.slice(0, max).map((p) => {
    const object = p.kind ? `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name ?? ''}` : '';
    return `| \`${escapeCell(`${p.file}:${p.line}:${p.column}`)}\` | ${p.severity} | ${escapeCell(object)} | ${escapeCell(p.path ?? '')} | ${escapeCell(p.message)} |`;
  });
  const more =
    problems.length > max ? [`_${problems.length - max} more: run \`berth validate\`._`] : [];
  return [
    '| Where | | Object | Field | Problem |',
    '|---|---|---|---|---|',
    ...rows,
    ...(more.length ? ['', ...more] : []),
  ];
}

function footer(report: PlanReport): string {
  const base = 'live' in report.base ? 'live state' : `base \`${report.base.sha}\``;
  return `<sub>${base} · head \`${report.head.sha}\` · generated by Berth</sub>`;
}

/** Escapes what would break a table cell or start markup. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\n/g, ' ');
}
