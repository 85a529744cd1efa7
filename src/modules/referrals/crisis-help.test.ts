import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CRISIS_CONTACTS, CRISIS_HELP_HEADING } from './crisis-help.ts';

const byId = (id: string) => CRISIS_CONTACTS.find((contact) => contact.id === id);

describe('crisis help', () => {
  it('gives 999 or A&E first, for a life at risk', () => {
    assert.equal(CRISIS_CONTACTS[0]?.id, 'emergency');
    assert.match(CRISIS_CONTACTS[0]?.text ?? '', /Call 999 or go to A&E/);
  });

  it('gives NHS 111 option 2 for urgent mental health help', () => {
    assert.match(byId('nhs-111')?.text ?? '', /Call 111 and choose option 2/);
  });

  it('gives Samaritans on 116 123, free, day or night', () => {
    const text = byId('samaritans')?.text ?? '';
    assert.match(text, /116 123/);
    assert.match(text, /free/);
    assert.match(text, /any time, day or night/);
  });

  it('gives Shout by text on 85258', () => {
    assert.match(byId('shout')?.text ?? '', /Text SHOUT to 85258/);
  });

  it('links each contact to the number its words give', () => {
    for (const contact of CRISIS_CONTACTS) {
      const number = contact.href.replace(/^(tel|sms):/, '');
      assert.match(contact.href, /^(tel|sms):\d+$/, contact.id);
      assert.ok(contact.linkText.replace(/\s/g, '').includes(number), contact.id);
      assert.ok(contact.text.replace(/\s/g, '').includes(number), contact.id);
    }
  });

  it('is plain text that cannot be changed at run time', () => {
    for (const contact of CRISIS_CONTACTS) {
      for (const words of [contact.heading, contact.text, contact.linkText]) {
        assert.doesNotMatch(words, /[<>]/, contact.id);
      }
      assert.ok(Object.isFrozen(contact), contact.id);
    }
    assert.ok(Object.isFrozen(CRISIS_CONTACTS));
    assert.equal(CRISIS_HELP_HEADING, 'If you need help now');
  });
});
