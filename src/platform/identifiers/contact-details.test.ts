import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeEmailAddress, tidyPhoneNumber } from './contact-details.ts';

describe('tidyPhoneNumber', () => {
  it('reads UK numbers however they are typed, and shows them as dialled in the UK', () => {
    assert.equal(tidyPhoneNumber('07700900982'), '07700 900982');
    assert.equal(tidyPhoneNumber('+44 7700 900 982'), '07700 900982');
    assert.equal(tidyPhoneNumber('(0113) 496-0000'), '0113 496 0000');
  });

  it('shows other countries’ numbers in international form', () => {
    assert.equal(tidyPhoneNumber('+33 1 23 45 67 89'), '+33 1 23 45 67 89');
  });

  it('refuses what cannot be a phone number', () => {
    for (const typed of ['', '07123', '0770090098212', 'call me', '999']) {
      assert.equal(tidyPhoneNumber(typed), undefined, typed);
    }
  });
});

describe('looksLikeEmailAddress', () => {
  it('accepts an address and refuses text without an @ and a domain', () => {
    assert.ok(looksLikeEmailAddress('sam@example.org'));
    for (const typed of ['sam', 'sam@example', 'sam @example.org', `${'a'.repeat(250)}@x.org`]) {
      assert.equal(looksLikeEmailAddress(typed), false, typed);
    }
  });
});
