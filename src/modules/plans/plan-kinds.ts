import type { SharingCategory } from '../../policy/index.ts';

/**
 * The plans a member owns, as data: each kind's parts in the member's own words. Pages, forms, the
 * comparison of versions, the print view and the PDF all read these lists, so a part added here shows
 * everywhere at once.
 *
 * No part of any plan is a score or a level of risk: NICE NG225 and NHS England's "Staying safe from
 * suicide" (2025) say not to stratify people into low, medium or high risk; a plan is a co-produced list
 * of what helps (shared/reference/standards.md 3.3).
 */

export type PlanKind = 'resource_and_support' | 'safety' | 'goal' | 'advance_statement' | 'network_map';

export const PLAN_KIND_ORDER: readonly PlanKind[] = [
  'resource_and_support',
  'safety',
  'goal',
  'advance_statement',
  'network_map',
];

export const isPlanKind = (value: unknown): value is PlanKind =>
  typeof value === 'string' && (PLAN_KIND_ORDER as readonly string[]).includes(value);

/** How a part is written: free text, the five ways to wellbeing ticked, or people around the member. */
export type FieldKind = 'text' | 'wellbeing_ways' | 'network';

export type PlanField = { name: string; label: string; hint?: string; kind: FieldKind };

export type PlanKindDefinition = {
  title: string;
  /** One sentence under the title, to the member. */
  description: string;
  /** What an information-sharing agreement must grant for a partner to see this kind of plan. */
  sharingCategory: SharingCategory;
  /** Goals come one to a plan, so a member may have several; every other kind is one per member. */
  onePerMember: boolean;
  /** Shown on the one-page crisis view. */
  inCrisisView: boolean;
  fields: readonly PlanField[];
};

/**
 * The five ways to wellbeing, from the New Economics Foundation's report for the Government Office for
 * Science Foresight project (2008), as the NHS website puts them in "5 steps to mental wellbeing"
 * (https://www.nhs.uk/mental-health/self-help/guides-tools-and-activities/five-steps-to-mental-wellbeing/).
 */
export const WAYS_TO_WELLBEING = {
  connect: 'Connect',
  be_active: 'Be active',
  take_notice: 'Take notice',
  keep_learning: 'Keep learning',
  give: 'Give',
} as const;

export type WayToWellbeing = keyof typeof WAYS_TO_WELLBEING;

/** What someone or something in the member's network is. */
export const NETWORK_KINDS = { person: 'A person', group: 'A group', service: 'A service' } as const;
export type NetworkKind = keyof typeof NETWORK_KINDS;

/** How close they feel, in the member's words: the picture draws the closest nearest the middle. */
export const CLOSENESS = {
  very_close: 'Very close',
  close: 'Close',
  further_away: 'Further away',
} as const;
export type Closeness = keyof typeof CLOSENESS;

/** One person, group or service around the member. */
export type NetworkEntry = { name: string; kind: NetworkKind; closeness: Closeness };

/** The rows the network form offers: empty rows are left out when saved. */
export const NETWORK_ROWS = 10;

export const PLAN_KINDS: Record<PlanKind, PlanKindDefinition> = {
  resource_and_support: {
    title: 'Resource and Support Plan',
    description:
      'What helps you, what does not, and what you would like others to do, so the team can support you when things get hard.',
    sharingCategory: 'support_plans',
    onePerMember: true,
    inCrisisView: true,
    fields: [
      { name: 'whatHelps', label: 'What helps me', kind: 'text' },
      { name: 'whatDoesNotHelp', label: 'What does not help me', kind: 'text' },
      { name: 'strengths', label: 'My resources and strengths', kind: 'text' },
      { name: 'peopleAndServices', label: 'People and services I can turn to', kind: 'text' },
      {
        name: 'earlySigns',
        label: 'My early signs',
        hint: 'Things you or others notice when you are starting to struggle',
        kind: 'text',
      },
      {
        name: 'ifStruggling',
        label: 'What I would like others to do if I am struggling',
        kind: 'text',
      },
      {
        name: 'usefulContacts',
        label: 'Useful contacts',
        hint: 'Names and phone numbers, one on each line',
        kind: 'text',
      },
    ],
  },
  // The six steps of the Stanley-Brown Safety Planning Intervention, in order (standards.md 3.1).
  safety: {
    title: 'Safety plan',
    description:
      'Steps to get through a crisis, in order: start with step 1 and move on to the next step if you need to.',
    sharingCategory: 'crisis_plans',
    onePerMember: true,
    inCrisisView: true,
    fields: [
      {
        name: 'warningSigns',
        label: 'Step 1: Signs that a crisis may be starting',
        hint: 'Thoughts, feelings, situations or behaviour',
        kind: 'text',
      },
      {
        name: 'copingAlone',
        label: 'Step 2: Things I can do on my own to get through it',
        hint: 'Without contacting anyone',
        kind: 'text',
      },
      {
        name: 'distraction',
        label: 'Step 3: People and places that take my mind off things',
        kind: 'text',
      },
      {
        name: 'askForHelp',
        label: 'Step 4: Family or friends I can ask for help',
        kind: 'text',
      },
      {
        name: 'professionals',
        label: 'Step 5: Professionals and services I can contact, including crisis lines',
        kind: 'text',
      },
      {
        name: 'makingSafe',
        label: 'Step 6: Making where I am safer',
        hint: 'For example, what I can put away or give to someone to look after',
        kind: 'text',
      },
      // Commonly added to the six steps; standards.md 3.1 notes it was not in the sources read there.
      { name: 'reasonsForLiving', label: 'My reasons for living', kind: 'text' },
    ],
  },
  goal: {
    title: 'Recovery and wellbeing goal',
    description: 'Something you would like to work towards, in small steps.',
    sharingCategory: 'support_plans',
    onePerMember: false,
    inCrisisView: false,
    fields: [
      { name: 'goal', label: 'My goal', kind: 'text' },
      { name: 'smallSteps', label: 'Small steps towards it', kind: 'text' },
      {
        name: 'byWhen',
        label: 'By when',
        hint: 'For example, by the summer, or by 1 June',
        kind: 'text',
      },
      {
        name: 'waysToWellbeing',
        label: 'Which of the five ways to wellbeing is it about?',
        hint: 'Select all that apply',
        kind: 'wellbeing_ways',
      },
      { name: 'progress', label: 'How it is going', hint: 'Progress notes, newest first', kind: 'text' },
    ],
  },
  advance_statement: {
    title: 'Advance statement',
    description: 'What you want to happen, and not happen, if you are in crisis or in hospital.',
    sharingCategory: 'support_plans',
    onePerMember: true,
    inCrisisView: false,
    fields: [
      {
        name: 'wantToHappen',
        label: 'What I want to happen if I am in crisis or in hospital',
        kind: 'text',
      },
      { name: 'notToHappen', label: 'What I do not want to happen', kind: 'text' },
      {
        name: 'lookedAfter',
        label: 'Things I would like looked after',
        hint: 'For example, pets, bills, or who collects the children',
        kind: 'text',
      },
      { name: 'whoToTell', label: 'Who I would like to be told', kind: 'text' },
    ],
  },
  network_map: {
    title: 'Personal network map',
    description: 'The people, groups and services around you, and how close they feel.',
    sharingCategory: 'support_plans',
    onePerMember: true,
    inCrisisView: false,
    fields: [
      { name: 'network', label: 'People, groups and services around me', kind: 'network' },
      { name: 'notes', label: 'Anything else about the people around me', kind: 'text' },
    ],
  },
};

/** What one part of a plan holds. */
export type FieldValue = string | WayToWellbeing[] | NetworkEntry[];

/** A plan's content: each part by name, and the date it should next be looked at together. */
export type PlanContent = { fields: Record<string, FieldValue>; reviewOn: string | null };

/**
 * A plan with nothing written in it yet.
 *
 * @param kind - the kind of plan.
 * @returns empty content for each part.
 */
export function emptyContent(kind: PlanKind): PlanContent {
  const fields: Record<string, FieldValue> = {};
  for (const field of PLAN_KINDS[kind].fields) {
    fields[field.name] = field.kind === 'text' ? '' : [];
  }
  return { fields, reviewOn: null };
}
