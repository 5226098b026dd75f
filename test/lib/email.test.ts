import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEmailAddress, normaliseEmail } from '../../src/lib/email.js';

describe('normaliseEmail', () => {
  it('trims, lower-cases and composes, so two spellings are one address', () => {
    assert.equal(normaliseEmail('  Ana@Example.ORG '), 'ana@example.org');
    assert.equal(normaliseEmail('jose\u0301@example.org'), 'jos\u00e9@example.org');
  });
  it('keeps an internationalised domain in its Unicode form', () => {
    assert.equal(normaliseEmail('ana@xn--exmple-cua.org'), 'ana@exämple.org');
    assert.equal(normaliseEmail('Ana@EXÄMPLE.org'), 'ana@exämple.org');
  });
  it('gives something comparable even for what is not an address', () => {
    assert.equal(normaliseEmail(' Not An Address '), 'not an address');
    assert.equal(isEmailAddress(' Not An Address '), false);
  });
});
