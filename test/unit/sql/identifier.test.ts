import { formatMultipartName, parseMultipartName, quoteIdentifier } from '../../../src/sql/identifier';
import { HyggeError } from '../../../src/errors';

describe('SQL identifiers', () => {
  it('quotes like QUOTENAME, doubling ]', () => {
    expect(quoteIdentifier('orders')).toBe('[orders]');
    expect(quoteIdentifier('a]b')).toBe('[a]]b]');
    expect(quoteIdentifier("x'; DROP TABLE t;--")).toBe("[x'; DROP TABLE t;--]");
  });

  it.each([
    ['dbo.orders', ['dbo', 'orders']],
    ['orders', ['orders']],
    ['[my schema].[my.table]', ['my schema', 'my.table']],
    ['"x"."y"', ['x', 'y']],
    ['[a]]b].c', ['a]b', 'c']],
    ['db.dbo.t', ['db', 'dbo', 't']],
  ])('parses %s', (text, parts) => {
    expect(parseMultipartName(text)).toEqual(parts);
  });

  it.each(['', 'a.', '.a', 'a..b', '[a', 'a b', 'a.b.c.d', 'x]y', '[a]b'])('refuses %j', (text) => {
    expect(() => parseMultipartName(text)).toThrow(HyggeError);
  });

  it('round-trips through format and parse', () => {
    const parts = ['we]ird', 'na.me', "it's"];
    expect(parseMultipartName(formatMultipartName(parts))).toEqual(parts);
  });
});
