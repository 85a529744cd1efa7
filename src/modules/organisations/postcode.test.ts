import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalisePostcode } from './postcode.ts';

describe('normalisePostcode', () => {
  it('accepts each of the six Royal Mail formats', () => {
    for (const postcode of ['M1 1AE', 'B33 8TH', 'W1A 0AX', 'CR2 6XH', 'DN55 1PT', 'EC1A 1BB']) {
      assert.equal(normalisePostcode(postcode), postcode);
    }
  });

  it('writes capitals with one space before the inward code', () => {
    assert.equal(normalisePostcode(' sw1a1aa '), 'SW1A 1AA');
    assert.equal(normalisePostcode('me14   1xx'), 'ME14 1XX');
  });

  it('refuses what is not a UK postcode', () => {
    for (const typed of ['', 'SW1A', '1AA SW1A', 'SW1A 1A', 'ABC1 1AA', 'SW1A 1AAA', '90210']) {
      assert.equal(normalisePostcode(typed), undefined, typed);
    }
  });
});
