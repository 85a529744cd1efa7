import { sql, type RawBuilder } from 'kysely';

/**
 * When a partner organisation's staff may facilitate another organisation's group: the SUN model's
 * "one team" of a charity and an NHS trust (shared/DESIGN.md section 1), where a trust clinician
 * co-facilitates a charity group with the charity's lived experience facilitator.
 *
 * The condition is the narrowest a real partnership would accept, all of:
 * - an information-sharing agreement in force on the day has the group's organisation as a party, and
 *   grants the partner "contacts, sessions and attendance": whoever facilitates a session sees who
 *   comes to it and takes its register, so without that grant a partner facilitator would be shown
 *   what the agreement does not share;
 * - both organisations deliver the group's service (its lead or one of its delivering organisations):
 *   agreements do not name services, and a partnership covers the service the two run together, not
 *   every group either of them runs. A group with no service has no partner facilitators.
 * Nothing is stored: when the agreement ends or a partner stops delivering the service, the partner's
 * staff stop being offered, stop seeing the sessions' registers and calendar entries, and the sessions
 * they were named on show as needing attention.
 *
 * One SQL condition, so every query that needs it (who may be chosen, whose register access holds,
 * whose staffing has fallen through, whose calendar lists the session) asks exactly the same thing.
 *
 * @param on - the pieces of the question, each a column reference or a value.
 * @param on.partner - the partner organisation (the facilitator's).
 * @param on.group - the organisation running the group.
 * @param on.service - the group's service (null: no partner may facilitate).
 * @param on.day - the day the agreement must be in force, 'YYYY-MM-DD' or a date expression.
 * @returns a boolean condition.
 */
export function partnerMayFacilitate(on: {
  partner: RawBuilder<unknown>;
  group: RawBuilder<unknown>;
  service: RawBuilder<unknown>;
  day: RawBuilder<unknown>;
}): RawBuilder<boolean> {
  const delivers = (organisation: RawBuilder<unknown>) =>
    sql`${organisation} IN (SELECT sv.lead_organisation_id
          UNION SELECT so.organisation_id FROM service_organisations so WHERE so.service_id = sv.id)`;
  return sql<boolean>`(
    EXISTS (SELECT 1 FROM sharing_agreements a
              JOIN sharing_agreement_parties own ON own.agreement_id = a.id AND own.organisation_id = ${on.group}
              JOIN sharing_agreement_grants gr ON gr.agreement_id = a.id AND gr.organisation_id = ${on.partner}
                                              AND gr.category = 'contacts_and_sessions'
             WHERE a.starts_on <= ${on.day}::date AND (a.ends_on IS NULL OR a.ends_on >= ${on.day}::date))
    AND EXISTS (SELECT 1 FROM services sv WHERE sv.id = ${on.service}
                  AND ${delivers(on.partner)} AND ${delivers(on.group)}))`;
}

/**
 * Whether a named facilitator may facilitate a session on the day: one of the group's own
 * organisation's staff, or a partner's under partnerMayFacilitate.
 *
 * @param on - the pieces of the question, each a column reference or a value.
 * @param on.staffOrganisation - the facilitator's organisation.
 * @param on.group - the organisation running the group.
 * @param on.service - the group's service.
 * @param on.day - the day, 'YYYY-MM-DD' or a date expression.
 * @returns a boolean condition.
 */
export function mayFacilitate(on: {
  staffOrganisation: RawBuilder<unknown>;
  group: RawBuilder<unknown>;
  service: RawBuilder<unknown>;
  day: RawBuilder<unknown>;
}): RawBuilder<boolean> {
  return sql<boolean>`(${on.staffOrganisation} = ${on.group} OR ${partnerMayFacilitate({
    partner: on.staffOrganisation,
    group: on.group,
    service: on.service,
    day: on.day,
  })})`;
}
