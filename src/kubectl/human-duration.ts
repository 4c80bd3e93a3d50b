/**
 * kubectl's AGE (apimachinery `duration.HumanDuration`): two significant units while they
 * matter, `45s`, `5m30s`, `25m`, `3h5m`, `30h`, `3d5h`, `12d`, `2y30d`, `9y`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 2) return `${days}d`;
  if (hours < 24 * 365 * 8) {
    const rest = days % 365;
    return rest === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${rest}d`;
  }
  return `${Math.floor(days / 365)}y`;
}

/** The age of an ISO 8601 time at `now`, or `<unknown>` when there is none. */
export function ageOf(time: string | undefined, now: Date): string {
  if (!time) return '<unknown>';
  const t = Date.parse(time);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
}
