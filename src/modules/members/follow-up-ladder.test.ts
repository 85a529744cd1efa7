import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextFollowUpStep, outcomeFitsStep, reviewHeld } from './follow-up-ladder.ts';

describe('the follow-up ladder', () => {
  it('starts with a call when nothing has been tried since they were last in touch', () => {
    assert.equal(nextFollowUpStep([]), 'call');
  });

  it('moves one rung past the furthest reached: call, text, letter, review', () => {
    assert.equal(nextFollowUpStep(['call']), 'text');
    assert.equal(nextFollowUpStep(['call', 'call']), 'text');
    assert.equal(nextFollowUpStep(['call', 'text']), 'letter');
    assert.equal(nextFollowUpStep(['call', 'text', 'letter']), 'review');
  });

  it('goes by the furthest rung, whatever order attempts were logged in', () => {
    assert.equal(nextFollowUpStep(['letter', 'call']), 'review');
    assert.equal(nextFollowUpStep(['text']), 'letter');
  });

  it('stays at a review once one is held: the ladder never ends in an automatic discharge', () => {
    assert.equal(nextFollowUpStep(['call', 'text', 'letter', 'review']), 'review');
    assert.equal(nextFollowUpStep(['review', 'review']), 'review');
    assert.equal(reviewHeld(['call', 'review']), true);
    assert.equal(reviewHeld(['call', 'text', 'letter']), false);
  });

  it('accepts only outcomes that make sense for the step', () => {
    assert.equal(outcomeFitsStep('call', 'spoke'), true);
    assert.equal(outcomeFitsStep('call', 'no_answer'), true);
    assert.equal(outcomeFitsStep('call', 'left_message'), true);
    assert.equal(outcomeFitsStep('call', 'sent'), false);
    assert.equal(outcomeFitsStep('text', 'sent'), true);
    assert.equal(outcomeFitsStep('text', 'spoke'), true);
    assert.equal(outcomeFitsStep('text', 'no_answer'), false);
    assert.equal(outcomeFitsStep('letter', 'sent'), true);
    assert.equal(outcomeFitsStep('letter', 'spoke'), false);
    assert.equal(outcomeFitsStep('review', 'reviewed'), true);
    assert.equal(outcomeFitsStep('review', 'sent'), false);
  });
});
