import { formatProblem } from '../manifests/index.js';
import type { PlanAction } from './plan-action.js';
import { displayName, type PlanReport, sideLabel } from './plan-report.js';
import { syncOrderLines } from './sync-steps.js';
import { yamlDiff } from './yaml-diff.js';

/** The mark of each action type in a plan listing, as diff and terraform use them. */
export const SIGN: Record<PlanAction['type'], string> = {
  create: '+',
  update: '~',
  delete: '-',
  keep: '=',
  unchanged: ' ',
};

/** The plan for a terminal: one line per change, pod impact, problems, a summary, then the YAML diffs. */
export function renderText(report: PlanReport): string {
  const lines: string[] = [];
  const target = `${report.source ? `${report.source} @ ` : ''}${sideLabel(report.head)}`;
  lines.push(`Plan for ${target} against ${sideLabel(report.base)}`);
  const errors = report.problems.filter((p) => p.severity === 'error');
  const warnings = report.problems.filter((p) => p.severity === 'warning');
  if (!report.valid || !report.plan) {
    lines.push(
      '',
      `Invalid revision: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing would be applied.`,
    );
    for (const p of report.problems) lines.push(`  ${formatProblem(p)}`);
    return `${lines.join('\n')}\n`;
  }
  const changed = report.plan.actions.filter((a) => a.type !== 'unchanged');
  lines.push('');
  if (changed.length === 0) lines.push('  No changes: the host already runs this revision.');
  for (const a of changed) {
    lines.push(
      `  ${SIGN[a.type]} ${a.type.padEnd(6)} ${a.kind} ${displayName(a)}${a.reason ? ` (${a.reason})` : ''}`,
    );
    const impact = report.impacts.find((i) => i.key === a.key);
    if (impact) lines.push(`             ${impactLine(impact)}`);
  }
  for (const i of report.impacts.filter((i) => !changed.some((a) => a.key === i.key))) {
    lines.push(
      `  ~ roll   ${i.key.replace(/\/(?=[^/]*\/)/, ' ')}`,
      `             ${impactLine(i)}`,
    );
  }
  const order = syncOrderLines(report.plan);
  if (order.length > 0) {
    lines.push('', 'Sync order (each step starts once the one before is healthy):');
    for (const l of order) lines.push(`  ${l}`);
  }
  if (warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const p of warnings) lines.push(`  ${formatProblem(p)}`);
  }
  const s = report.plan.summary;
  lines.push(
    '',
    `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged${s.keep ? `, ${s.keep} kept` : ''}.`,
  );
  const diffs = changed
    .map((a) => yamlDiff(a, sideLabel(report.base), sideLabel(report.head)))
    .filter(Boolean);
  if (diffs.length > 0) lines.push('', ...diffs.map((d) => d.trimEnd()));
  return `${lines.join('\n')}\n`;
}

/** `replace pods (containers web): spec.template.spec.containers[web].image`. */
export function impactLine(i: { effect: string; containers: string[]; because: string[] }): string {
  const verb =
    i.effect === 'replace' ? 'replaces pods' : i.effect === 'roll' ? 'restarts pods' : 'scales';
  const containers =
    i.containers.length > 0
      ? ` (container${i.containers.length === 1 ? '' : 's'} ${i.containers.join(', ')})`
      : '';
  return `${verb}${containers}: ${i.because.join('; ')}`;
}
