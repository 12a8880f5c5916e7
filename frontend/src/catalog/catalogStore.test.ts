import { describe, expect, it } from 'vitest';
import { groupByCategory, paletteVersions, portsCompatible, versionNotice } from './catalogStore';
import { DESCRIBE, PORT_TYPES, SAMPLE, SELECT } from './testCatalog';

describe('groupByCategory', () => {
  it('groups in catalog order and keeps only the newest version of a module', () => {
    const newer = { ...SELECT, version: '2', display_name: 'Select Columns v2' };
    const groups = groupByCategory([SAMPLE, SELECT, newer, DESCRIBE], '');
    expect(groups.map(([category, specs]) => [category, specs.map((spec) => spec.display_name)])).toEqual([
      ['Data Input', ['Sample Dataset']],
      ['Test', ['Select Columns v2', 'Describe']],
    ]);
  });

  it('filters on name, description and category, ignoring case', () => {
    expect(groupByCategory([SAMPLE, SELECT, DESCRIBE], 'SELECT').flatMap(([, specs]) => specs)).toEqual([SELECT]);
  });
});

describe('portsCompatible', () => {
  it('follows the accepts table of the input type', () => {
    const types = { ...PORT_TYPES, text: { name: 'text', label: 'Text', accepts: ['text', 'table'] } };
    expect(portsCompatible(types, 'table', 'text')).toBe(true);
    expect(portsCompatible(types, 'text', 'table')).toBe(false);
    expect(portsCompatible(types, 'model', 'model')).toBe(true);
  });
});

describe('paletteVersions', () => {
  const workspace = { ...SELECT, name: 'scale', source: 'workspace' as const, default_version: '2' };
  const v1 = { ...workspace, version: '1', status: 'deprecated' as const, newer_version: '2' };
  const v2 = { ...workspace, version: '2', status: 'active' as const };
  const v3 = { ...workspace, version: '3', status: 'disabled' as const };

  it("offers a workspace module's default version, never a disabled one", () => {
    expect(paletteVersions([SAMPLE, v1, v2, v3]).map((spec) => `${spec.name}@${spec.version}`)).toEqual([
      'sample_dataset@1',
      'scale@2',
    ]);
    const allDisabled = [{ ...v1, status: 'disabled' as const }];
    expect(paletteVersions(allDisabled)).toEqual([]);
  });

  it('says what a node should know about its version', () => {
    expect(versionNotice(v1)).toEqual({ status: 'deprecated', text: 'Version 1 is deprecated', newer: '2' });
    expect(versionNotice({ ...v1, status: 'active' })?.status).toBe('update');
    expect(versionNotice({ ...v3, status_reason: 'wrong factor' })?.text).toBe('Version 3 is disabled: wrong factor');
    expect(versionNotice(v2)).toBeNull();
    expect(versionNotice(SAMPLE)).toBeNull();
  });
});
