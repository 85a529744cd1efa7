import { z } from 'zod';
import { datePartsOf, optionalDate, requiredDate } from '../../platform/forms/date-input.ts';
import { checkboxList, optionalText, requiredText, versionField } from '../../platform/forms/forms.ts';
import { isSharingCategory, type SharingCategory } from '../../policy/index.ts';
import { normalisePostcode } from './postcode.ts';
import { isUuid, UUID_PATTERN } from '../../platform/identifiers/uuid.ts';

/**
 * The organisation, service and sharing-agreement pages' forms. Messages follow the NHS service
 * manual's error message guidance: say what to do, in plain words.
 */

/** The kinds of organisation, with the words shown on screen. */
export const ORGANISATION_KINDS = {
  charity: 'Charity or voluntary organisation',
  nhs_trust: 'NHS trust',
  other: 'Other organisation',
} as const;

/** An id chosen from a list on the page: anything else was not offered, so the message says to choose. */
const chosenId = (message: string) => z.string({ error: message }).regex(UUID_PATTERN, message);

// Organisations.

/** The type of organisation, chosen from ORGANISATION_KINDS (also asked at first-run setup). */
export const organisationKindField = z.enum(['charity', 'nhs_trust', 'other'], {
  error: 'Select the type of organisation',
});

/**
 * An organisation's optional ODS code, in capitals (also asked at first-run setup). ODS issues codes of
 * 1 to 9 letters and numbers (NHS England Organisation Data Service; shared/reference/standards.md 4.4),
 * the same check the database enforces (migration 0004).
 */
export const odsCodeField = optionalText('ODS code must be 9 characters or fewer', 9)
  .transform((value) => value?.toUpperCase())
  .refine(
    (value) => value === undefined || /^[A-Z0-9]{1,9}$/.test(value),
    'ODS code must be letters and numbers only, like RXY or G7H8J',
  );

const organisationFields = {
  name: requiredText(
    {
      missing: 'Enter the name of the organisation',
      tooLong: 'Organisation name must be 120 characters or fewer',
    },
    120,
  ),
  kind: organisationKindField,
  odsCode: odsCodeField,
};

export const newOrganisationForm = z.object(organisationFields);

export const organisationDetailsForm = z.object({ ...organisationFields, version: versionField });

export const localityForm = z.object({
  name: requiredText(
    { missing: 'Enter the name of the locality', tooLong: 'Locality name must be 120 characters or fewer' },
    120,
  ),
});

export const baseForm = z.object({
  name: requiredText(
    { missing: 'Enter the name of the base', tooLong: 'Base name must be 120 characters or fewer' },
    120,
  ),
  // One line per line of the address, with blank lines dropped.
  address: requiredText(
    { missing: 'Enter the address of the base', tooLong: 'Address must be 500 characters or fewer' },
    500,
  ).transform((value) =>
    value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .join('\n'),
  ),
  postcode: z
    .string({ error: 'Enter the postcode' })
    .trim()
    .min(1, 'Enter the postcode')
    .max(10, 'Enter a real postcode, like LS1 4AP')
    .transform((value, ctx) => {
      const postcode = normalisePostcode(value);
      if (postcode === undefined) {
        ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like LS1 4AP' });
        return z.NEVER;
      }
      return postcode;
    }),
  localityId: z
    .string()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine((value) => value === undefined || isUuid(value), 'Select a locality from the list'),
});

// Services.

/** A whole number of weeks typed into a box, within a range. */
const wholeWeeks = (
  messages: { missing: string; notNumber: string; outOfRange: string },
  min: number,
  max: number,
) =>
  z
    .string({ error: messages.missing })
    .trim()
    .min(1, messages.missing)
    .regex(/^\d{1,3}$/, messages.notNumber)
    .transform(Number)
    .refine((weeks) => weeks >= min && weeks <= max, messages.outOfRange);

const serviceFields = {
  name: requiredText(
    { missing: 'Enter the name of the service', tooLong: 'Service name must be 120 characters or fewer' },
    120,
  ),
  description: optionalText('Description must be 2,000 characters or fewer', 2000),
  leadOrganisationId: chosenId('Select the lead organisation'),
  organisationIds: checkboxList(chosenId('Select organisations from the list')).refine(
    (list) => list.length > 0,
    'Select at least one organisation that delivers the service',
  ),
  firstContactWorkingDays: z
    .string({ error: 'Enter how many working days someone may wait for first contact' })
    .trim()
    .min(1, 'Enter how many working days someone may wait for first contact')
    .regex(/^\d{1,3}$/, 'First contact must be a whole number of working days, like 5')
    .transform(Number)
    .refine((days) => days >= 1 && days <= 60, 'First contact must be between 1 and 60 working days'),
  nonEngagementWeeks: wholeWeeks(
    {
      missing: 'Enter how many weeks without contact before someone shows as not engaging',
      notNumber: 'Weeks without contact must be a whole number of weeks, like 4',
      outOfRange: 'Weeks without contact must be between 1 and 52',
    },
    1,
    52,
  ),
  doorOpenWeeks: wholeWeeks(
    {
      missing: "Enter how many weeks a discharged person's history is picked up again",
      notNumber: 'Weeks the door stays open must be a whole number of weeks, like 26',
      outOfRange: 'Weeks the door stays open must be between 0 and 104',
    },
    0,
    104,
  ),
};

export const newServiceForm = z.object(serviceFields);

export const serviceForm = z.object({ ...serviceFields, version: versionField });

// Sharing agreements.

const categories = checkboxList(z.string()).refine(
  (list) => list.every(isSharingCategory),
  'Select what this organisation may see from the list',
);

/** The grants sent by the page: one checkbox group per organisation, named `grants-<organisation id>`. */
function groupAgreementFields(body: unknown): unknown {
  const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const grants: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith('grants-')) {
      grants[key.slice('grants-'.length)] = value;
    }
  }
  return {
    ...values,
    startsOn: datePartsOf(values, 'startsOn'),
    endsOn: datePartsOf(values, 'endsOn'),
    grants,
  };
}

const agreementFields = z.object({
  name: requiredText(
    { missing: 'Enter the name of the agreement', tooLong: 'Agreement name must be 200 characters or fewer' },
    200,
  ),
  startsOn: requiredDate('Start date'),
  endsOn: optionalDate('End date'),
  parties: checkboxList(chosenId('Select organisations from the list'))
    .refine(
      (list) => new Set(list).size >= 2,
      'Select at least 2 organisations that are party to the agreement',
    )
    .transform((list) => [...new Set(list)]),
  grants: z
    .record(z.string().regex(UUID_PATTERN, 'Select organisations from the list'), categories)
    .transform((byOrganisation) =>
      Object.fromEntries(
        Object.entries(byOrganisation).map(([id, list]) => [id, [...new Set(list)] as SharingCategory[]]),
      ),
    ),
});

function endNotBeforeStart(
  value: { startsOn: string | null; endsOn: string | null },
  ctx: z.RefinementCtx,
): void {
  if (
    typeof value.startsOn === 'string' &&
    typeof value.endsOn === 'string' &&
    value.endsOn < value.startsOn
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'End date must be the same as or after the start date',
      path: ['endsOn'],
    });
  }
}

export const newAgreementForm = z.preprocess(
  groupAgreementFields,
  agreementFields.superRefine(endNotBeforeStart),
);

export const agreementForm = z.preprocess(
  groupAgreementFields,
  agreementFields.extend({ version: versionField }).superRefine(endNotBeforeStart),
);
