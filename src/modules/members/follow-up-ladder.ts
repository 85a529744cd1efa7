import type { FollowUpOutcome, FollowUpStep } from './members.tables.ts';

/**
 * The follow-up ladder for someone who has stopped coming: a call first, then a text, then a letter,
 * then a review of their support with the team. Each rung is a person's attempt to reach them; the
 * ladder never discharges anyone. After a review, discharging is a separate decision a worker makes.
 */
export const FOLLOW_UP_STEPS: readonly FollowUpStep[] = ['call', 'text', 'letter', 'review'];

/** Each step in the words a worker would use. */
export const FOLLOW_UP_STEP_LABELS: Record<FollowUpStep, string> = {
  call: 'Call',
  text: 'Text message',
  letter: 'Letter',
  review: 'Review of their support',
};

/** Each outcome in plain words. */
export const FOLLOW_UP_OUTCOME_LABELS: Record<FollowUpOutcome, string> = {
  spoke: 'Spoke with them (on the phone, or they replied to a text)',
  no_answer: 'No answer',
  left_message: 'Left a message',
  sent: 'Sent',
  reviewed: 'Reviewed with the team',
};

/**
 * The outcomes that make sense for each step: a call is answered or not, a text or letter is sent
 * (and a text may be answered), and a review is held.
 */
export const OUTCOMES_BY_STEP: Record<FollowUpStep, readonly FollowUpOutcome[]> = {
  call: ['spoke', 'no_answer', 'left_message'],
  text: ['sent', 'spoke'],
  letter: ['sent'],
  review: ['reviewed'],
};

/**
 * Whether an outcome fits a step (a letter cannot go unanswered on the phone).
 *
 * @param step - the step taken.
 * @param outcome - what came of it.
 * @returns true when the pair makes sense.
 */
export function outcomeFitsStep(step: FollowUpStep, outcome: FollowUpOutcome): boolean {
  return OUTCOMES_BY_STEP[step].includes(outcome);
}

/**
 * The next rung to try, from the steps already logged since the person was last in touch: one rung
 * past the furthest reached. Once a review has been held the next step stays a review, because the
 * ladder ends with people deciding, never with an automatic discharge.
 *
 * @param stepsSinceLastEngagement - the steps of the attempts logged since they were last in touch.
 * @returns the next step.
 */
export function nextFollowUpStep(stepsSinceLastEngagement: readonly FollowUpStep[]): FollowUpStep {
  const furthest = Math.max(-1, ...stepsSinceLastEngagement.map((step) => FOLLOW_UP_STEPS.indexOf(step)));
  return FOLLOW_UP_STEPS[Math.min(furthest + 1, FOLLOW_UP_STEPS.length - 1)] ?? 'review';
}

/**
 * Whether the ladder has reached its end: a review has been held since the person was last in touch.
 *
 * @param stepsSinceLastEngagement - the steps of the attempts logged since they were last in touch.
 * @returns true once a review is among them.
 */
export function reviewHeld(stepsSinceLastEngagement: readonly FollowUpStep[]): boolean {
  return stepsSinceLastEngagement.includes('review');
}
