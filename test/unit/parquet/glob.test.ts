import { globBase, globToRegExp, isGlob } from '../../../src/storage/glob';
import { asFolderPrefix, isHiddenKey, joinKey, normaliseKey } from '../../../src/storage/keys';

describe('globs over keys', () => {
  it.each([
    ['in/*.parquet', 'in/a.parquet', true],
    ['in/*.parquet', 'in/sub/a.parquet', false],
    ['in/**/*.parquet', 'in/a.parquet', true],
    ['in/**/*.parquet', 'in/x/y/a.parquet', true],
    ['in/**', 'in/x/y', true],
    ['in/part-?.parquet', 'in/part-1.parquet', true],
    ['in/part-?.parquet', 'in/part-10.parquet', false],
    ['données/ñ */*.parquet', 'données/ñ 😀/a.parquet', true],
    ['in/(a).parquet', 'in/(a).parquet', false],
  ])('%s matches %s: %s', (pattern, key, expected) => {
    expect(isGlob(pattern) && globToRegExp(pattern).test(key)).toBe(expected);
  });

  it('lists from the folder before the first wildcard', () => {
    expect(globBase('a/b/c*/d/*.parquet')).toBe('a/b/');
    expect(globBase('*.parquet')).toBe('');
  });
});

describe('keys', () => {
  it('normalises what users write', () => {
    expect(normaliseKey('./a\\b//c')).toBe('a/b/c');
    expect(normaliseKey('.')).toBe('');
    expect(asFolderPrefix('a/b/')).toBe('a/b/');
    expect(asFolderPrefix('')).toBe('');
    expect(joinKey('a/', '/b/', 'c')).toBe('a/b/c');
    expect(joinKey('/abs', 'x')).toBe('/abs/x');
  });

  it('hides `_` and `.` segments', () => {
    expect(isHiddenKey('_hygge_staging/r/part.parquet')).toBe(true);
    expect(isHiddenKey('x/.tmp')).toBe(true);
    expect(isHiddenKey('x/part-00000.parquet')).toBe(false);
  });
});
