import { randomUUID } from 'node:crypto';
import { audit, type Ctx } from '../../context.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { authorize } from '../../policy/index.ts';
import type { ProfessionalReferralInput } from './professional-referral.forms.ts';
import * as repo from './referrals.repo.ts';
import { NoOneToReceiveReferral, newReferralReference } from './referrals.service.ts';
import { countReferralSend } from './send-limit.ts';
import { firstContactDueDate } from './working-days.ts';
import { isUuid } from '../../platform/identifiers/uuid.ts';

const SUBMISSION_KEY = /^[A-Za-z0-9_-]{16,100}$/;

/**
 * Today in UK time, for checking a date of birth is in the past.
 *
 * @param ctx - the request context, for its clock.
 * @returns 'YYYY-MM-DD'.
 */
export function todayForForms(ctx: Ctx): string {
  return dayInLondon(ctx.clock.now());
}

/**
 * Sends a referral made by a GP, an NHS team or a partner organisation: the referral and its audit row
 * in one transaction. It goes to the lead organisation of the service named, or else to the host
 * organisation. Sending the same form again (the same submission key) finds the referral already made,
 * and does not count against the address's limit again.
 *
 * @param ctx - the request context (anyone may refer someone; no account is needed).
 * @param input - the checked form.
 * @param submissionKey - the key the form carried.
 * @param serviceId - the service the referrer came from, if any; an unknown one is ignored.
 * @returns the referral's id.
 * @throws NoOneToReceiveReferral when there is no host organisation yet; nothing is saved.
 * @throws TooManyAttempts when the address has sent 20 referrals in the last hour; nothing is saved.
 */
export async function submitProfessionalReferral(
  ctx: Ctx,
  input: ProfessionalReferralInput,
  submissionKey: string,
  serviceId: string | undefined,
): Promise<{ referralId: string }> {
  authorize(ctx.actor, 'referral.submit_professional');
  const key = SUBMISSION_KEY.test(submissionKey) ? submissionKey : null;
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    if (key) {
      // Taken before looking, so a double click's two requests cannot both miss and both insert.
      await repo.lockUntilCommit(tx, `submission:${key}`);
      const already = await repo.findBySubmissionKey(tx, key);
      if (already) {
        return { referralId: already.id };
      }
    }
    const destination = await repo.findDestination(
      tx,
      serviceId && isUuid(serviceId) ? serviceId : undefined,
    );
    if (!destination) {
      throw new NoOneToReceiveReferral();
    }
    await countReferralSend(tx, ctx);
    const { person, referrer } = input;
    const id = randomUUID();
    await repo.insertReferral(tx, {
      id,
      reference: newReferralReference(),
      serviceId: destination.serviceId,
      organisationId: destination.organisationId,
      source: input.source,
      receivedAt: now,
      firstContactDue: firstContactDueDate(now, destination.firstContactWorkingDays),
      name: person.name,
      preferredName: person.preferredName,
      dateOfBirth: person.dateOfBirth,
      email: person.email,
      phone: person.phone,
      postalAddress: person.postalAddress,
      postcode: person.postcode,
      contactMethods: person.contactMethods,
      safeToLeaveMessage: person.safeToLeaveMessage,
      bestTimes: null,
      communicationNeeds: person.communicationNeeds,
      preferredLanguage: person.preferredLanguage,
      communicationNeedsOther: person.communicationNeedsOther,
      nhsNumber: person.nhsNumber,
      gpPractice: person.gpPractice,
      ownWords: input.ownWords,
      hopes: input.hopes,
      safetyInformation: input.safetyInformation,
      // The referrer confirmed the person agrees to be referred, which is agreeing to the team
      // contacting them about it, in the ways the referrer gave.
      consentToReferral: true,
      consentToContact: true,
      referrerName: referrer.name,
      referrerRole: referrer.role,
      referrerOrganisation: referrer.organisation,
      referrerEmail: referrer.email,
      referrerPhone: referrer.phone,
      submissionKey: key,
    });
    await audit(tx, ctx, {
      action: 'referral.submitted',
      subject: { type: 'Referral', id },
      details: { source: input.source, organisationId: destination.organisationId },
    });
    return { referralId: id };
  });
}
