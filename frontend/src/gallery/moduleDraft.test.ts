import { describe, expect, it } from 'vitest';
import type { GalleryVersion } from '../api/types';
import { draftFromVersion, draftToSpec, emptyDraft } from './moduleDraft';

describe('draftToSpec', () => {
  it('turns typed defaults into their JSON values and choices into a list', () => {
    const draft = {
      ...emptyDraft(),
      name: ' scale ',
      display_name: 'Scale',
      parameters: [
        { name: 'factor', kind: 'float' as const, label: 'Factor', defaultText: '2.5', choicesText: '' },
        { name: 'mode', kind: 'choice' as const, label: '', defaultText: 'fast', choicesText: 'fast, slow' },
        { name: 'keep', kind: 'columns' as const, label: '', defaultText: 'a, b', choicesText: '' },
        { name: 'note', kind: 'string' as const, label: '', defaultText: '', choicesText: '' },
      ],
    };
    const spec = draftToSpec(draft);
    expect(spec.name).toBe('scale');
    expect(spec.parameters).toEqual([
      { name: 'factor', kind: 'float', label: 'Factor', default: 2.5 },
      { name: 'mode', kind: 'choice', default: 'fast', choices: ['fast', 'slow'] },
      { name: 'keep', kind: 'columns', default: ['a', 'b'] },
      { name: 'note', kind: 'string' },
    ]);
    expect(spec.inputs).toEqual([{ name: 'dataset', type: 'table', optional: false }]);
  });
});

describe('draftFromVersion', () => {
  it('gives back the form a version was published from, with its code', () => {
    const draft = {
      ...emptyDraft(),
      name: 'scale',
      display_name: 'Scale',
      code: 'def main(dataset):\n    return dataset\n',
    };
    draft.parameters = [{ name: 'mode', kind: 'choice', label: '', defaultText: 'fast', choicesText: 'fast, slow' }];
    const version = { version: '1', spec: draftToSpec(draft), code: draft.code } as GalleryVersion;
    expect(draftFromVersion(version)).toEqual(draft);
  });
});
