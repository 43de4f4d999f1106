import { findHostileInput, MAX_INPUT_DEPTH } from './hostile-input';

describe('findHostileInput', () => {
  it('names the field holding a NUL character, at any depth, in values and keys', () => {
    expect(findHostileInput({ reason: 'ok\u0000' }, 'body')).toEqual({ field: 'reason', message: 'must not contain a NUL character' });
    expect(findHostileInput({ windows: [{ start: '09:00' }, { start: '\u0000' }] }, 'body')).toEqual({
      field: 'windows[1].start',
      message: 'must not contain a NUL character',
    });
    expect(findHostileInput({ search: 'a\u0000b' }, 'query')?.field).toBe('search');
    expect(findHostileInput('x\u0000', 'id')?.field).toBe('id');
    expect(findHostileInput({ ['a\u0000']: 1 }, 'body')?.message).toMatch(/field name/);
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(findHostileInput(deep, 'body')?.message).toMatch(new RegExp(`deeper than ${MAX_INPUT_DEPTH}`));
    let arrays: unknown = [];
    for (let i = 0; i < 100_000; i++) arrays = [arrays];
    expect(findHostileInput(arrays, 'body')).toBeDefined();
  });

  it('lets ordinary input through', () => {
    expect(findHostileInput({ a: [1, 'two', { b: null, c: true }], d: 'ünïcødé 🙂' }, 'body')).toBeUndefined();
    expect(findHostileInput(undefined, 'body')).toBeUndefined();
  });
});
