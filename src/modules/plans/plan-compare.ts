import { formatDate } from '../../platform/views/filters/format-date.ts';
import {
  CLOSENESS,
  NETWORK_KINDS,
  PLAN_KINDS,
  WAYS_TO_WELLBEING,
  type FieldValue,
  type NetworkEntry,
  type PlanContent,
  type PlanField,
  type PlanKind,
} from './plan-kinds.ts';

/**
 * Comparing two versions of a plan, part by part, in words a member reads: what was added, what was
 * taken out. Lines are the unit, because members write their plans as short lines ("Walking the dog",
 * "Calling my sister"); a changed line shows as the old one taken out and the new one added.
 */

/** A part of a plan as lines of text, the way the comparison and the PDF read it. */
export function linesOf(field: PlanField, value: FieldValue | undefined): string[] {
  if (value === undefined) {
    return [];
  }
  if (field.kind === 'text') {
    return (value as string)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
  }
  if (field.kind === 'wellbeing_ways') {
    return (value as (keyof typeof WAYS_TO_WELLBEING)[]).map((way) => WAYS_TO_WELLBEING[way]);
  }
  return (value as NetworkEntry[]).map(
    (entry) =>
      `${entry.name} (${NETWORK_KINDS[entry.kind].toLowerCase()}, ${CLOSENESS[entry.closeness].toLowerCase()})`,
  );
}

export type PartComparison = {
  label: string;
  changed: boolean;
  added: string[];
  removed: string[];
  after: string[];
};

/**
 * Compares two versions of a plan part by part, review date last.
 *
 * @param kind - the kind of plan.
 * @param before - the earlier content.
 * @param after - the later content.
 * @returns each part with the lines added and taken out.
 */
export function comparePlans(kind: PlanKind, before: PlanContent, after: PlanContent): PartComparison[] {
  const parts = PLAN_KINDS[kind].fields.map((field) => {
    const was = linesOf(field, before.fields[field.name]);
    const now = linesOf(field, after.fields[field.name]);
    const added = now.filter((line) => !was.includes(line));
    const removed = was.filter((line) => !now.includes(line));
    return {
      label: field.label,
      changed: was.join('\n') !== now.join('\n'),
      added,
      removed,
      after: now,
    };
  });
  const reviewBefore = formatDate(before.reviewOn);
  const reviewAfter = formatDate(after.reviewOn);
  parts.push({
    label: 'Review date',
    changed: reviewBefore !== reviewAfter,
    added: reviewAfter && reviewAfter !== reviewBefore ? [reviewAfter] : [],
    removed: reviewBefore && reviewAfter !== reviewBefore ? [reviewBefore] : [],
    after: reviewAfter ? [reviewAfter] : [],
  });
  return parts;
}

/**
 * The parts that differ between two versions, by label: the summary a save gets when no one wrote one.
 *
 * @param kind - the kind of plan.
 * @param before - the earlier content.
 * @param after - the later content.
 * @returns a one-line summary, e.g. "Changed: What helps me, Useful contacts".
 */
export function summaryOfChanges(kind: PlanKind, before: PlanContent, after: PlanContent): string {
  const changed = comparePlans(kind, before, after).filter((part) => part.changed);
  return changed.length === 0
    ? 'Saved with no changes'
    : `Changed: ${changed.map((p) => p.label).join(', ')}`;
}

/**
 * Whether two versions say exactly the same.
 *
 * @param kind - the kind of plan.
 * @param a - one version's content.
 * @param b - the other's.
 * @returns true when no part differs.
 */
export function sameContent(kind: PlanKind, a: PlanContent, b: PlanContent): boolean {
  return comparePlans(kind, a, b).every((part) => !part.changed);
}
