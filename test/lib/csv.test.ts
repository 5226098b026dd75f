import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCsv, unguard } from '../../src/lib/csv.js';

describe('toCsv', () => {
  it('guards every cell a spreadsheet would run as a formula, quoted or not', () => {
    const cells = ['=1+1', '+44 20', '-x', '@SUM(A1)', '\tTab', '\rCR', '\uFF1D1'];
    for (const quoteAll of [false, true]) {
      const lines = toCsv(
        ['value'],
        cells.map((c) => [c]),
        { quoteAll },
      )
        .split('\r\n')
        .slice(1, -1);
      assert.deepEqual(
        lines.map((l) => l.replace(/^"|"$/g, '').replace(/^'/, '')),
        cells,
        `quoteAll: ${quoteAll}`,
      );
      for (const line of lines) assert.match(line, /^"?'/, line);
    }
  });
  it('leaves numbers, safe text and characters after the first alone', () => {
    assert.equal(
      toCsv(
        ['n', 'text'],
        [
          [-3, 'a=b'],
          [1.5, 'plain'],
        ],
      ),
      'n,text\r\n-3,a=b\r\n1.5,plain\r\n',
    );
  });
  it('quotes commas, quotes and semicolons, or every cell when asked', () => {
    assert.equal(toCsv(['a'], [['x, y'], ['say "hi"'], ['a;b']]), 'a\r\n"x, y"\r\n"say ""hi"""\r\n"a;b"\r\n');
    assert.equal(toCsv(['a', 'b'], [[null, 2]], { quoteAll: true }), '"a","b"\r\n"","2"\r\n');
  });
  it('undoes its own guard, and only that', () => {
    assert.equal(unguard("'+plus@example.com"), '+plus@example.com');
    assert.equal(unguard("'quoted'"), "'quoted'");
    assert.equal(unguard('plain'), 'plain');
  });
});
