import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXAMPLE_NHS_NUMBER,
  NHS_NUMBER_MESSAGES,
  formatNhsNumber,
  isValidNhsNumber,
  nhsNumberProblem,
  normaliseNhsNumber,
} from './nhs-number.ts';

/** The numbers standards.md 4.1 lists as verified valid. */
const VALID = ['9434765919', '4010232137', '4146515092'];

describe('isValidNhsNumber', () => {
  it('accepts the valid numbers listed in standards.md 4.1', () => {
    for (const number of VALID) {
      assert.equal(isValidNhsNumber(number), true, number);
    }
  });

  it('refuses each valid number with any other last digit', () => {
    for (const number of VALID) {
      for (let digit = 0; digit <= 9; digit += 1) {
        const changed = `${number.slice(0, 9)}${digit}`;
        assert.equal(isValidNhsNumber(changed), changed === number, changed);
      }
    }
  });

  it('refuses every last digit when the check digit would be 10', () => {
    // 1×10 + 2×9 + 3×8 + 4×7 + 5×6 + 6×5 + 7×4 + 8×3 + 9×2 = 210; 210 mod 11 = 1; 11 − 1 = 10.
    for (let digit = 0; digit <= 9; digit += 1) {
      assert.equal(isValidNhsNumber(`123456789${digit}`), false, `last digit ${digit}`);
    }
  });

  it('uses 0 as the check digit when 11 minus the remainder is 11', () => {
    // 9×10 + 8×9 + 7×8 + 6×7 + 5×6 + 4×5 + 3×4 + 2×3 + 1×2 = 330 = 30 × 11, so the remainder is 0.
    assert.equal(isValidNhsNumber('9876543210'), true);
    assert.equal(isValidNhsNumber('9876543211'), false);
  });

  it('refuses numbers that are too short or too long', () => {
    assert.equal(isValidNhsNumber('943476591'), false);
    assert.equal(isValidNhsNumber('94347659190'), false);
    assert.equal(isValidNhsNumber(''), false);
  });

  it('refuses letters and other characters', () => {
    assert.equal(isValidNhsNumber('943476591A'), false);
    assert.equal(isValidNhsNumber('943.476.5919'), false);
    assert.equal(isValidNhsNumber('943/476/5919'), false);
    assert.equal(isValidNhsNumber('９４３４７６５９１９'), false, 'full-width digits are not 0-9');
  });

  it('accepts spaces or hyphens in the 3-3-4 grouping', () => {
    assert.equal(isValidNhsNumber('943 476 5919'), true);
    assert.equal(isValidNhsNumber('943-476-5919'), true);
    assert.equal(isValidNhsNumber('  943 476 5919 '), true, 'spaces around it are ignored');
  });

  it('refuses other groupings and mixed or doubled separators', () => {
    assert.equal(isValidNhsNumber('9434 765 919'), false);
    assert.equal(isValidNhsNumber('943 476-5919'), false);
    assert.equal(isValidNhsNumber('943  476  5919'), false);
    assert.equal(isValidNhsNumber('94 34 76 59 19'), false);
  });
});

describe('normaliseNhsNumber', () => {
  it('gives the 10 digits of a valid number however it was typed', () => {
    assert.equal(normaliseNhsNumber('943 476 5919'), '9434765919');
    assert.equal(normaliseNhsNumber('401-023-2137'), '4010232137');
    assert.equal(normaliseNhsNumber('4146515092'), '4146515092');
  });

  it('gives nothing for a number that is not valid, so it cannot be stored', () => {
    assert.equal(normaliseNhsNumber('9434765918'), undefined);
    assert.equal(normaliseNhsNumber('943476591'), undefined);
    assert.equal(normaliseNhsNumber('abc'), undefined);
  });
});

describe('formatNhsNumber', () => {
  it('shows the number as XXX XXX XXXX', () => {
    assert.equal(formatNhsNumber('9434765919'), '943 476 5919');
    assert.equal(formatNhsNumber('943-476-5919'), '943 476 5919');
  });

  it('shows anything that is not 10 digits as it was given', () => {
    assert.equal(formatNhsNumber('12345'), '12345');
  });
});

describe('nhsNumberProblem', () => {
  it('finds no problem with a valid number', () => {
    assert.equal(nhsNumberProblem('943 476 5919'), undefined);
  });

  it('asks for 10 digits when there are too few or too many', () => {
    assert.equal(nhsNumberProblem('943 476 591'), 'Enter a 10-digit NHS number');
    assert.equal(nhsNumberProblem('94347659199'), 'Enter a 10-digit NHS number');
    assert.equal(nhsNumberProblem(''), 'Enter a 10-digit NHS number');
  });

  it('shows a valid example when there are letters or an odd grouping', () => {
    assert.equal(nhsNumberProblem('943 476 591O'), 'Enter a valid NHS number, like 943 476 5919');
    assert.equal(nhsNumberProblem('94 34 76 59 19'), 'Enter a valid NHS number, like 943 476 5919');
  });

  it('says the number is not valid and to check it when the check digit is wrong', () => {
    assert.equal(nhsNumberProblem('943 476 5918'), NHS_NUMBER_MESSAGES.failsCheck);
    assert.equal(nhsNumberProblem('1234567890'), NHS_NUMBER_MESSAGES.failsCheck);
    assert.match(NHS_NUMBER_MESSAGES.failsCheck, /not valid/);
    assert.match(NHS_NUMBER_MESSAGES.failsCheck, /Check/);
  });

  it('gives an example that is itself valid, unlike the example often used for the format', () => {
    assert.equal(isValidNhsNumber(EXAMPLE_NHS_NUMBER), true);
    assert.equal(isValidNhsNumber('485 777 3456'), false);
  });
});
