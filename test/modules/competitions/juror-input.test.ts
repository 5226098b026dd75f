// The prize desk's juror form reads an address the way accounts and the
// newsletter do, so a juror typed with capitals or an encoded domain is seated
// on the account they already have.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jurorSchema } from '../../../src/modules/competitions/competitions.schemas.js';

const categoryId = '0194f2a0-8c3b-7def-9a01-23456789abcd';

describe('the juror form', () => {
  it('stores the address as accounts compare it: trimmed, lower-cased, the domain in Unicode', () => {
    const parsed = jurorSchema.parse({ name: 'Ravi Juror', email: '  Ravi.Juror@XN--EXMPLE-CUA.org ', categoryId });
    assert.equal(parsed.email, 'ravi.juror@exämple.org');
  });

  it('refuses what is not an address, saying what one looks like', () => {
    const result = jurorSchema.safeParse({ name: 'Ravi Juror', email: 'ravi at press', categoryId });
    assert.equal(result.success, false);
    assert.equal(result.error?.issues[0]?.message, 'Enter an email address like name@example.com.');
  });
});
