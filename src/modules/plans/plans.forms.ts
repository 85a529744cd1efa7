import { z } from 'zod';
import { datePartsOf, readDate } from '../../platform/forms/date-input.ts';
import { versionField } from '../../platform/forms/forms.ts';
import { UUID_PATTERN } from '../../platform/identifiers/uuid.ts';
import {
  CLOSENESS,
  NETWORK_KINDS,
  NETWORK_ROWS,
  PLAN_KINDS,
  WAYS_TO_WELLBEING,
  isPlanKind,
  type Closeness,
  type FieldValue,
  type NetworkEntry,
  type NetworkKind,
  type PlanKind,
  type WayToWellbeing,
} from './plan-kinds.ts';
import type { PlanChange } from './plans.service.ts';

/** The most a part of a plan may hold: a long page of writing, far more than any plan needs. */
export const MAX_PART_LENGTH = 5000;
const MAX_NAME_LENGTH = 200;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];

/** Who is saving: the member's own edit applies; a worker proposes it or records it agreed in person. */
export type Side = 'member' | 'staff';

/**
 * The form for changing a plan, for its kind. Messages come in the order the parts are on the page,
 * each on the part it is about; nothing is saved unless all pass.
 *
 * @param kind - the kind of plan.
 * @param side - the member or a worker.
 * @returns the schema, giving the change to save.
 */
export function planChangeForm(kind: PlanKind, side: Side) {
  const definition = PLAN_KINDS[kind];
  return z.record(z.string(), z.unknown()).transform((body, ctx): PlanChange => {
    // Collected first and reported at the end, so "write something" can go to the top, where its part is.
    const problems: { field: string; message: string }[] = [];
    const problem = (field: string, message: string) => problems.push({ field, message });
    const fields: Record<string, FieldValue> = {};
    let written = false;
    for (const field of definition.fields) {
      if (field.kind === 'text') {
        const value = text(body[field.name]);
        if (value.length > MAX_PART_LENGTH) {
          problem(
            field.name,
            `${field.label} must be ${MAX_PART_LENGTH.toLocaleString('en-GB')} characters or fewer`,
          );
        }
        written ||= value.length > 0;
        fields[field.name] = value;
      } else if (field.kind === 'wellbeing_ways') {
        const ways = list(body[field.name]);
        const known = ways.filter(
          (w): w is WayToWellbeing => typeof w === 'string' && Object.hasOwn(WAYS_TO_WELLBEING, w),
        );
        if (known.length !== ways.length) {
          problem(field.name, 'Select ways to wellbeing from the list');
        }
        fields[field.name] = [...new Set(known)];
      } else {
        const entries: NetworkEntry[] = [];
        for (let row = 1; row <= NETWORK_ROWS; row += 1) {
          const id = `${field.name}-${row}`;
          const name = text(body[`${id}-name`]);
          const entryKind = text(body[`${id}-kind`]);
          const closeness = text(body[`${id}-closeness`]);
          if (!name && !closeness && !entryKind) {
            continue;
          }
          if (!name) {
            problem(`${id}-name`, `Enter a name for row ${row}, or clear the row`);
            continue;
          }
          if (name.length > MAX_NAME_LENGTH) {
            problem(`${id}-name`, `Name in row ${row} must be ${MAX_NAME_LENGTH} characters or fewer`);
          }
          if (!Object.hasOwn(NETWORK_KINDS, entryKind)) {
            problem(`${id}-kind`, `Select whether ${name} is a person, a group or a service`);
          }
          if (!Object.hasOwn(CLOSENESS, closeness)) {
            problem(`${id}-closeness`, `Select how close ${name} feels`);
          }
          entries.push({ name, kind: entryKind as NetworkKind, closeness: closeness as Closeness });
        }
        written ||= entries.length > 0;
        fields[field.name] = entries;
      }
    }
    // readDate reports on the context it is given; this one puts its message on the review date.
    const reviewOn = readDate(datePartsOf(body, 'reviewOn'), 'Review date', {
      addIssue: (issue: { message?: string }) =>
        problem('reviewOn', issue.message ?? 'Review date must be a real date'),
    } as unknown as z.RefinementCtx);
    const summary = text(body.summary);
    if (summary.length > 200) {
      problem('summary', 'What changed must be 200 characters or fewer');
    }
    const how = side === 'member' ? 'member_edit' : text(body.how);
    if (how !== 'member_edit' && how !== 'propose' && how !== 'agreed_in_person') {
      problem('how', 'Select whether you are proposing this change or it was agreed with them in person');
    }
    if (!written) {
      const first = definition.fields[0]?.name ?? 'summary';
      problems.unshift({
        field: first === 'network' ? 'network-1-name' : first,
        message: 'Write something in at least one part of the plan',
      });
    }
    const basedOn = Number(body.basedOn);
    if (!Number.isInteger(basedOn) || basedOn < 0) {
      problem('basedOn', 'Reload the page and try again');
    }
    for (const { field, message } of problems) {
      ctx.addIssue({ code: 'custom', path: [field], message });
    }
    const proposalId = text(body.proposalId);
    return {
      basedOn,
      content: { fields, reviewOn: reviewOn ?? null },
      summary: summary || undefined,
      how: how as PlanChange['how'],
      proposalId: UUID_PATTERN.test(proposalId) ? proposalId : undefined,
    };
  });
}

export const startPlanForm = z.object({
  kind: z.string().refine(isPlanKind, 'Select the kind of plan to start'),
});

export const sharingForm = z.object({
  shareWith: z.preprocess(
    list,
    z.array(z.enum(['team', 'partner'], { error: 'Select who may see this plan from the list' })),
  ),
  version: versionField,
});

export const breakGlassForm = z.object({
  reason: z
    .string({ error: 'Enter why you need to see this crisis plan now' })
    .trim()
    .min(1, 'Enter why you need to see this crisis plan now')
    .min(10, 'Give a little more detail of why you need to see it: at least 10 characters')
    .max(1000, 'The reason must be 1,000 characters or fewer'),
});

/** The versions to compare, from the address: plain numbers, nothing personal. */
export const compareQuery = z.object({
  from: z.coerce.number().int().min(0),
  to: z.coerce.number().int().min(0),
});
