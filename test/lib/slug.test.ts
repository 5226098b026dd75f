import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slugify } from '../../src/lib/slug.js';

describe('slugify', () => {
  it('transliterates Latin letters that have no decomposition', () => {
    assert.equal(slugify('Łukasz Ørsted', 'person'), 'lukasz-orsted');
    assert.equal(slugify('Søren Kierkegaard', 'person'), 'soren-kierkegaard');
    assert.equal(slugify('Café crème', 'x'), 'cafe-creme');
  });
  it('transliterates Cyrillic and Greek names', () => {
    assert.equal(slugify('Пётр Чайковский', 'person'), 'pyotr-chaykovskiy');
    assert.equal(slugify('Олена Зеленська', 'person'), 'olena-zelenska');
    assert.equal(slugify('Ελένη Καραΐνδρου', 'person'), 'eleni-karaindroy');
  });
  it('drops apostrophes inside words rather than splitting them', () => {
    assert.equal(slugify('Don’t look up', 'x'), 'dont-look-up');
    assert.equal(slugify("It's a sin", 'x'), 'its-a-sin');
  });
  it('never gives an empty slug: text with nothing to transliterate gives the fallback', () => {
    assert.equal(slugify('🎉🎉', 'tag'), 'tag');
    assert.equal(slugify('  —  ', 'untitled'), 'untitled');
    assert.equal(slugify('', 'person'), 'person');
  });
  it('keeps slugs to 80 characters without a trailing hyphen', () => {
    const slug = slugify(`${'word '.repeat(30)}end`, 'x');
    assert.ok(slug.length <= 80);
    assert.doesNotMatch(slug, /-$/);
    assert.match(slug, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});
