import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countDocWords, docToText, textToDoc } from '../../src/lib/plain-text.js';
import { rt } from '../../src/lib/rich-text.js';
import { countWords } from '../../src/lib/words.js';

describe('textToDoc and docToText', () => {
  it('reads only paragraphs without markup, as an essay is typed', () => {
    const doc = textToDoc('## Not a heading\r\n\r\n- not a list\n \nlast,\nwrapped');
    assert.deepEqual(doc, rt.doc(rt.p('## Not a heading'), rt.p('- not a list'), rt.p('last, wrapped')));
    assert.equal(docToText(doc), '## Not a heading\n\n- not a list\n\nlast, wrapped');
  });
  it('reads headings, quotes and lists with markup, and writes them back the same', () => {
    const text = '## Who\n\nStudents everywhere.\n\n### How\n\n> Quoted once.\n>\n> And again.\n\n- One entry\n- One author';
    const doc = textToDoc(text, { markup: true });
    assert.deepEqual(
      doc.content!.map((b) => b.type),
      ['heading', 'paragraph', 'heading', 'blockquote', 'bulletList'],
    );
    assert.deepEqual(doc.content![2]!.attrs, { level: 3 });
    assert.equal(doc.content![3]!.content!.length, 2);
    assert.equal(docToText(doc, { markup: true }), text);
  });
  it('places "## " at level 3 under a page’s own heading, and writes it back as "## "', () => {
    const doc = textToDoc('## Rules\n\nBe kind.', { markup: true, headingLevel: 3 });
    assert.deepEqual(doc.content![0], { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Rules' }] });
    assert.equal(docToText(doc, { markup: true, headingLevel: 3 }), '## Rules\n\nBe kind.');
  });
  it('gives the words of any document, marks and breaks included, figures left out', () => {
    const doc = rt.doc(rt.p('One ', rt.strong('two'), ' three.'), rt.h2('Four'), rt.ul('five', 'six'), rt.quote('seven'));
    assert.equal(docToText(doc), 'One two three.\n\nFour\n\nfive\n\nsix\n\nseven');
    assert.equal(countDocWords(doc), 7);
    assert.equal(docToText(rt.doc(rt.figure({ mediaId: 'x', alt: 'a', caption: 'c', creditCreator: '', creditSource: '' }))), '');
  });
});

describe('countWords', () => {
  it('counts runs of non-space characters', () => {
    assert.equal(countWords(''), 0);
    assert.equal(countWords('  \n '), 0);
    assert.equal(countWords('One two\n\nthree   four\tfive'), 5);
    assert.equal(countWords('Covid-19 isn’t over — yet.'), 5);
  });
  it('gives the same count for a text and the document made of it', () => {
    const essay = 'First paragraph,\nwrapped.\n\n\nSecond  one.';
    assert.equal(countDocWords(textToDoc(essay)), countWords(essay));
  });
});
