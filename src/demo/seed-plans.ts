import { randomUUID } from 'node:crypto';
import type { Db } from '../database.ts';
import type { PlanContent, PlanKind } from '../modules/plans/plan-kinds.ts';
import type { PlanVersionHow } from '../modules/plans/plans.tables.ts';

/**
 * The demo's plans: Ruth's Resource and Support Plan in three versions (her own, one agreed with Tom
 * in person, her own again) shared with the partner NHS team too, and her safety plan with a change
 * Tom has proposed waiting for her; Kieran's recovery goal in two versions and his network map; and
 * Peggy's advance statement, agreed with Hannah in person. Every person and word here is invented;
 * the phone numbers are from Ofcom's range for drama.
 */

/** Who the demo's plans need: the charity, the key workers, and the people they support. */
export type PlansCast = {
  organisationId: string;
  workers: { tom: string; grace: string; hannah: string };
  members: { ruth: string; kieran: string; peggy: string };
};

const DAY_MS = 24 * 60 * 60 * 1000;

type Saved = {
  daysAgo: number;
  by: { staffId: string; role: string } | 'member';
  how: PlanVersionHow;
  summary: string;
  fields: PlanContent['fields'];
  reviewOn?: string;
};

/**
 * Seeds the demo's plans in the caller's transaction.
 *
 * @param tx - the demo's transaction.
 * @param cast - the organisation, key workers and members.
 * @param now - the time: versions are dated relative to it.
 */
export async function seedPlans(tx: Db, cast: PlansCast, now: Date): Promise<void> {
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
  const reviewIn = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);

  const plan = async (
    memberId: string,
    kind: PlanKind,
    versions: Saved[],
    sharing: { partner: boolean } = { partner: false },
  ): Promise<{ id: string; content: PlanContent }> => {
    const id = randomUUID();
    await tx
      .insertInto('plans')
      .values({
        id,
        member_id: memberId,
        organisation_id: cast.organisationId,
        kind,
        share_with_partner: sharing.partner,
        created_at: at(versions[0]?.daysAgo ?? 0),
        updated_at: at(versions.at(-1)?.daysAgo ?? 0),
      })
      .execute();
    let content: PlanContent = { fields: {}, reviewOn: null };
    for (const [i, version] of versions.entries()) {
      content = {
        fields: { ...content.fields, ...version.fields },
        reviewOn: version.reviewOn ?? content.reviewOn,
      };
      await tx
        .insertInto('plan_versions')
        .values({
          plan_id: id,
          number: i + 1,
          based_on: i,
          content: JSON.stringify(content),
          summary: version.summary,
          saved_by_kind: version.by === 'member' ? 'member' : 'staff',
          saved_by_staff_id: version.by === 'member' ? null : version.by.staffId,
          saved_by_role: version.by === 'member' ? 'Member' : version.by.role,
          how: version.how,
          proposal_id: null,
          created_at: at(version.daysAgo),
        })
        .execute();
    }
    await tx.updateTable('plans').set({ current_version: versions.length }).where('id', '=', id).execute();
    return { id, content };
  };

  const tom = { staffId: cast.workers.tom, role: 'Peer support worker' };
  const grace = { staffId: cast.workers.grace, role: 'Senior peer support worker' };
  const hannah = { staffId: cast.workers.hannah, role: 'Community connector' };

  await plan(
    cast.members.ruth,
    'resource_and_support',
    [
      {
        daysAgo: 60,
        by: 'member',
        how: 'member_edit',
        summary: 'First version',
        fields: {
          whatHelps: 'Walking by the river\nCalling my brother Sol',
          whatDoesNotHelp: 'Being told to calm down\nCrowded rooms',
          strengths: 'I am good with plants\nI keep going',
          peopleAndServices: 'My brother Sol\nThe Tuesday peer group',
          earlySigns: 'Not sleeping\nStopping answering the phone',
          ifStruggling: 'Text before calling\nSit with me somewhere quiet',
          usefulContacts: 'Sol (brother) 07700 900130\nGP: Harbour Surgery',
        },
      },
      {
        daysAgo: 30,
        by: tom,
        how: 'agreed_in_person',
        summary: 'Added the allotment and the drop-in, agreed at our catch-up',
        fields: {
          whatHelps: 'Walking by the river\nCalling my brother Sol\nThe allotment on Saturdays',
          peopleAndServices: 'My brother Sol\nThe Tuesday peer group\nThe Thursday drop-in',
        },
        reviewOn: reviewIn(30),
      },
      {
        daysAgo: 6,
        by: 'member',
        how: 'member_edit',
        summary: 'Changed my early signs',
        fields: { earlySigns: 'Not sleeping\nStopping answering the phone\nSkipping meals' },
      },
    ],
    { partner: true },
  );

  const safety = await plan(cast.members.ruth, 'safety', [
    {
      daysAgo: 55,
      by: 'member',
      how: 'member_edit',
      summary: 'First version',
      fields: {
        warningSigns: 'Pacing at night\nThinking everyone is better off without me',
        copingAlone: 'Listening to my playlist\nA cold shower',
        distraction: 'The café at the garden centre\nThe library',
        askForHelp: 'Sol 07700 900130',
        professionals: 'Tom at the service, weekdays\nNHS 111, option 2\nSamaritans 116 123',
        makingSafe: 'Sol keeps my spare tablets',
        reasonsForLiving: 'My niece Ada\nMy plants',
      },
    },
    {
      daysAgo: 20,
      by: tom,
      how: 'agreed_in_person',
      summary: 'Added the crisis café, agreed in person',
      fields: {
        professionals:
          'Tom at the service, weekdays\nThe crisis café, Friday and Saturday evenings\nNHS 111, option 2\nSamaritans 116 123',
      },
      reviewOn: reviewIn(40),
    },
  ]);
  // Tom's proposal, waiting for Ruth to accept or decline.
  await tx
    .insertInto('plan_proposals')
    .values({
      id: randomUUID(),
      plan_id: safety.id,
      based_on: 2,
      content: JSON.stringify({
        ...safety.content,
        fields: {
          ...safety.content.fields,
          distraction: 'The café at the garden centre\nThe library\nThe Saturday walking group',
        },
      }),
      summary: 'Add the Saturday walking group to step 3',
      proposed_by: cast.workers.tom,
      proposer_role: tom.role,
      proposed_at: at(1),
    })
    .execute();

  await plan(cast.members.kieran, 'goal', [
    {
      daysAgo: 50,
      by: grace,
      how: 'agreed_in_person',
      summary: 'First version, written together',
      fields: {
        goal: 'Get back to playing football',
        smallSteps: 'Find a walking football group\nGo once to watch',
        byWhen: 'By the spring',
        waysToWellbeing: ['be_active', 'connect'],
        progress: '',
      },
    },
    {
      daysAgo: 12,
      by: 'member',
      how: 'member_edit',
      summary: 'Progress note',
      fields: { progress: 'Went to watch the Wednesday group. Going to try playing next week.' },
      reviewOn: reviewIn(-3),
    },
  ]);
  await plan(cast.members.kieran, 'network_map', [
    {
      daysAgo: 48,
      by: 'member',
      how: 'member_edit',
      summary: 'First version',
      fields: {
        network: [
          { name: 'Mum', kind: 'person', closeness: 'very_close' },
          { name: 'Dan', kind: 'person', closeness: 'close' },
          { name: 'Walking football', kind: 'group', closeness: 'close' },
          { name: 'GP surgery', kind: 'service', closeness: 'further_away' },
        ],
        notes: 'I would like to be closer to my sister again.',
      },
    },
  ]);

  await plan(cast.members.peggy, 'advance_statement', [
    {
      daysAgo: 10,
      by: hannah,
      how: 'agreed_in_person',
      summary: 'First version, written with Peggy at home',
      fields: {
        wantToHappen:
          'Call my daughter Grace first\nPlease speak slowly and write things down in large print',
        notToHappen: 'Do not move me to a home far from Eastwold',
        lookedAfter: 'My cat, Biscuit: my neighbour has a key',
        whoToTell: 'My daughter Grace 07700 900131',
      },
      reviewOn: reviewIn(90),
    },
  ]);
}
