import { describe, expect, it } from 'vitest';
import { groupByCategory, portsCompatible } from './catalogStore';
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
