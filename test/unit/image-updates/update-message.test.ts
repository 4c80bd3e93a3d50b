import { describe, expect, it } from 'vitest';
import { parseUpdateTrailer, updateMessage } from '../../../src/image-updates/index.js';

describe('updateMessage', () => {
  const target = { name: 'web', image: 'registry.example.com/web', tag: '1.2.0' };
  const change = {
    file: 'apps/web.yaml',
    line: 17,
    object: 'Deployment/web',
    field: 'container web',
    old: 'registry.example.com/web:1.1.0',
    new: 'registry.example.com/web:1.2.0',
    oldTag: '1.1.0',
  };

  it('names the image, the old and new tags, every change, and carries the trailer', () => {
    const message = updateMessage(target, ['1.1.0'], [change]);
    expect(message).toBe(
      'Update image registry.example.com/web from 1.1.0 to 1.2.0\n\nImage update automation web:\n- apps/web.yaml:17 Deployment/web container web: registry.example.com/web:1.1.0 -> registry.example.com/web:1.2.0\n\nBerth-Image-Update: web 1.2.0\n',
    );
    expect(parseUpdateTrailer(message)).toEqual({ name: 'web', tag: '1.2.0' });
  });

  it('a name-only change has no old tag in the subject; other messages have no trailer', () => {
    expect(updateMessage(target, [], [change]).split('\n')[0]).toBe(
      'Update image registry.example.com/web to 1.2.0',
    );
    expect(parseUpdateTrailer('Revert "x"\n\nThis reverts commit abc.\n')).toBeUndefined();
  });
});
