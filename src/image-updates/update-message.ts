import type { ImageChange, ImageTarget } from './image-setters.js';

/** The trailer that marks Berth's update commits: `Berth-Image-Update: <name> <tag>`. */
const TRAILER = 'Berth-Image-Update';

/**
 * The message of an update commit, after Flux's default template (the changed files, objects,
 * and `old -> new` values): the subject names the update, the image and the old and new tags;
 * a trailer `Berth-Image-Update: <name> <tag>` lets Berth recognize the commit when it is
 * reverted.
 */
export function updateMessage(
  target: ImageTarget,
  oldTags: readonly string[],
  changes: readonly ImageChange[],
): string {
  const from = oldTags.length > 0 ? `from ${oldTags.join(', ')} ` : '';
  const subject = `Update image ${target.image} ${from}to ${target.tag}`;
  const lines = changes.map(
    (c) => `- ${c.file}:${c.line} ${c.object} ${c.field}: ${c.old} -> ${c.new}`,
  );
  return `${subject}\n\nImage update automation ${target.name}:\n${lines.join('\n')}\n\n${TRAILER}: ${target.name} ${target.tag}\n`;
}

/** The update and tag an update commit's message names in its trailer, or undefined. */
export function parseUpdateTrailer(message: string): { name: string; tag: string } | undefined {
  const m = new RegExp(`^${TRAILER}: ([a-z0-9-]+) (\\S+)$`, 'm').exec(message);
  return m ? { name: m[1] as string, tag: m[2] as string } : undefined;
}
