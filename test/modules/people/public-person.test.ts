// The byline-privacy projection on its own: the shown name, and what a public
// page may show of a person given their choices.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstNameAndInitial, publicPerson, shownName, type PublicPersonFields } from '../../../src/modules/people/public-person.js';

const amara: PublicPersonFields = {
  name: 'Amara Nwosu-Okafor',
  name_shown: 'full',
  pen_name: '',
  show_place: 1,
  show_portrait: 1,
  listed: 1,
  hide_age: 0,
  photo_media_id: 'm1',
  locations: '["Lagos, Nigeria"]',
  birthplace: 'Enugu, Nigeria',
  show_birthplace: 1,
  bio_html: '<p>She writes about sport.</p>',
};

describe('the shown name', () => {
  it('is the full name, the first name and initial, or the pen name', () => {
    assert.equal(shownName(amara), 'Amara Nwosu-Okafor');
    assert.equal(shownName({ ...amara, name_shown: 'initial' }), 'Amara N.');
    assert.equal(shownName({ ...amara, name_shown: 'pen', pen_name: ' Ada Lark ' }), 'Ada Lark');
    assert.equal(firstNameAndInitial('Farah'), 'Farah');
    assert.equal(firstNameAndInitial('Łucja  żak'), 'Łucja Ż.');
  });

  it('never falls back to the real name when a pen name is chosen but empty', () => {
    assert.equal(shownName({ ...amara, name_shown: 'pen', pen_name: '' }), 'Anonymous');
  });
});

describe('what the public sees', () => {
  it('shows everything by default, with the age on bylines', () => {
    const p = publicPerson(amara);
    assert.deepEqual(p, {
      name: 'Amara Nwosu-Okafor',
      photoMediaId: 'm1',
      locations: ['Lagos, Nigeria'],
      birthplace: 'Enugu, Nigeria',
      safeBioHtml: '<p>She writes about sport.</p>',
      showAge: true,
      listed: true,
    });
  });

  it('hides places, portrait and age when asked', () => {
    const p = publicPerson({ ...amara, show_place: 0, show_portrait: 0, hide_age: 1, listed: 0 });
    assert.deepEqual([p.photoMediaId, p.locations, p.birthplace, p.showAge, p.listed], [null, [], null, false, false]);
  });

  it('leaves out a biography that names what is hidden: part of the surname, or a place', () => {
    const bio = (text: string) => ({ ...amara, bio_html: `<p>${text}</p>` });
    assert.equal(publicPerson({ ...bio('Amara Nwosu writes.'), name_shown: 'initial' }).safeBioHtml, '');
    assert.equal(publicPerson({ ...bio('Amara writes.'), name_shown: 'initial' }).safeBioHtml, '<p>Amara writes.</p>');
    assert.equal(publicPerson({ ...bio('Amara writes.'), name_shown: 'pen', pen_name: 'Ada Lark' }).safeBioHtml, '');
    assert.equal(publicPerson({ ...bio('She grew up in Enugu.'), show_place: 0 }).safeBioHtml, '');
    assert.equal(publicPerson({ ...bio('She grew up in Enugu.') }).safeBioHtml, '<p>She grew up in Enugu.</p>');
  });
});
