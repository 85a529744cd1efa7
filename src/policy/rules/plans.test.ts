import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { can, STAFF_ROLES, type Actor, type MemberActor, type StaffActor, type StaffRole } from '../index.ts';
import type { MemberPlansSubject, PlanSubject } from './plans.ts';

/**
 * The authorisation matrix for plans: every role × the member's sharing choices × the actor's
 * organisation (the one holding the record, a partner under an agreement, any other) × on the team
 * or not, and the member themself against any other member.
 */

const OWN = 'charity';
const PARTNER = 'trust';
const OTHER = 'unrelated';
const KEY_WORKER_ID = 'key-worker';

const FRONT_LINE: StaffRole[] = [
  'peer_support_worker',
  'senior_peer_support_worker',
  'lived_experience_practitioner',
  'advanced_lived_experience_practitioner',
  'clinical_facilitator',
  'psychological_wellbeing_practitioner',
  'community_connector',
  'care_coordinator',
  'social_prescribing_link_worker',
  'service_manager',
  'safeguarding_lead',
];
const NO_PLANS: StaffRole[] = ['peer_bank_worker', 'volunteer', 'administrator', 'commissioner'];

const staff = (
  role: StaffRole,
  organisationId: string,
  options: { keyWorker?: boolean; grants?: ('support_plans' | 'crisis_plans')[] } = {},
): StaffActor => ({
  kind: 'staff',
  id: options.keyWorker ? KEY_WORKER_ID : `someone-${role}`,
  organisationId,
  hostOrganisation: false,
  roles: [role],
  sharing: (options.grants ?? []).map((category) => ({
    fromOrganisationId: OWN,
    category,
    agreementId: 'isa',
  })),
});

const member: MemberPlansSubject = { memberId: 'm1', organisationId: OWN, teamStaffIds: [KEY_WORKER_ID] };
const plan = (
  sharing: { team: boolean; partner: boolean },
  category: 'support_plans' | 'crisis_plans' = 'support_plans',
): PlanSubject => ({
  ...member,
  sharingCategory: category,
  shareWithTeam: sharing.team,
  shareWithPartner: sharing.partner,
});
const SHARINGS = [
  { team: false, partner: false },
  { team: true, partner: false },
  { team: false, partner: true },
  { team: true, partner: true },
];

const self: MemberActor = { kind: 'member', memberId: 'm1', organisationId: OWN };
const otherMember: MemberActor = { kind: 'member', memberId: 'm2', organisationId: OWN };
const sameIdOtherOrganisation: MemberActor = { kind: 'member', memberId: 'm1', organisationId: OTHER };

const MEMBER_ONLY = ['plan.edit', 'plan.respond', 'plan.share'] as const;
const WORKER_CHANGES = ['plan.propose', 'plan.record_agreed'] as const;

describe('the plans rules (authorisation matrix)', () => {
  it('lets the member do everything with their own plans, whatever they share, and nothing with anyone else’s', () => {
    for (const sharing of SHARINGS) {
      for (const action of ['plan.read', ...MEMBER_ONLY] as const) {
        assert.equal(can(self, action, plan(sharing)), true, `${action} ${JSON.stringify(sharing)}`);
        assert.equal(can(otherMember, action, plan(sharing)), false, action);
        assert.equal(can(sameIdOtherOrganisation, action, plan(sharing)), false, action);
      }
      for (const action of WORKER_CHANGES) {
        assert.equal(can(self, action, plan(sharing)), false, action);
      }
    }
    assert.equal(can(self, 'plan.list', member), true);
    assert.equal(can(self, 'plan.start', member), true);
    assert.equal(can(otherMember, 'plan.list', member), false);
    assert.equal(can(otherMember, 'plan.start', member), false);
    assert.equal(can(self, 'plan.break_glass', member), false);
    assert.equal(can(self, 'plan.notices'), true);
  });

  for (const role of FRONT_LINE) {
    it(`${STAFF_ROLES[role]}: sees and proposes only what the member shares with the team, when on it`, () => {
      const keyWorker = staff(role, OWN, { keyWorker: true });
      const notOnTeam = staff(role, OWN);
      // Service managers are on every member's team in their organisation.
      const onTeamAnyway = role === 'service_manager';
      for (const sharing of SHARINGS) {
        const label = `${role} ${JSON.stringify(sharing)}`;
        assert.equal(can(keyWorker, 'plan.read', plan(sharing)), sharing.team, label);
        assert.equal(can(notOnTeam, 'plan.read', plan(sharing)), sharing.team && onTeamAnyway, label);
        for (const action of WORKER_CHANGES) {
          assert.equal(can(keyWorker, action, plan(sharing)), sharing.team, `${action} ${label}`);
          assert.equal(
            can(notOnTeam, action, plan(sharing)),
            sharing.team && onTeamAnyway,
            `${action} ${label}`,
          );
        }
        for (const action of MEMBER_ONLY) {
          assert.equal(can(keyWorker, action, plan(sharing)), false, `${action} ${label}`);
        }
      }
      assert.equal(can(keyWorker, 'plan.start', member), true);
      assert.equal(can(notOnTeam, 'plan.start', member), onTeamAnyway);
      assert.equal(can(notOnTeam, 'plan.list', member), true);
      // Break-glass is for the holding organisation's front line, on the team or not.
      assert.equal(can(notOnTeam, 'plan.break_glass', member), true);
      assert.equal(can(keyWorker, 'plan.notices'), false);
    });

    it(`${STAFF_ROLES[role]} of a partner: reads only what the member shares with the partner team and the agreement grants`, () => {
      const support = staff(role, PARTNER, { grants: ['support_plans'] });
      const crisis = staff(role, PARTNER, { grants: ['crisis_plans'] });
      const both = staff(role, PARTNER, { grants: ['support_plans', 'crisis_plans'] });
      const noAgreement = staff(role, PARTNER);
      const other = staff(role, OTHER, { keyWorker: true });
      for (const sharing of SHARINGS) {
        const label = `${role} ${JSON.stringify(sharing)}`;
        assert.equal(can(support, 'plan.read', plan(sharing, 'support_plans')), sharing.partner, label);
        assert.equal(can(support, 'plan.read', plan(sharing, 'crisis_plans')), false, label);
        assert.equal(can(crisis, 'plan.read', plan(sharing, 'crisis_plans')), sharing.partner, label);
        assert.equal(can(crisis, 'plan.read', plan(sharing, 'support_plans')), false, label);
        assert.equal(can(both, 'plan.read', plan(sharing, 'crisis_plans')), sharing.partner, label);
        for (const actor of [noAgreement, other]) {
          assert.equal(can(actor, 'plan.read', plan(sharing)), false, label);
          assert.equal(can(actor, 'plan.read', plan(sharing, 'crisis_plans')), false, label);
        }
        // Partners read; they never change a plan, even when it is shared with them.
        for (const action of [...WORKER_CHANGES, ...MEMBER_ONLY]) {
          assert.equal(can(both, action, plan(sharing)), false, `${action} ${label}`);
        }
      }
      assert.equal(can(support, 'plan.list', member), true);
      assert.equal(can(noAgreement, 'plan.list', member), false);
      assert.equal(can(other, 'plan.list', member), false);
      for (const actor of [support, both, noAgreement, other]) {
        assert.equal(can(actor, 'plan.start', member), false);
        assert.equal(can(actor, 'plan.break_glass', member), false);
      }
    });
  }

  for (const role of NO_PLANS) {
    it(`${STAFF_ROLES[role]}: nothing about plans, even as a named key worker`, () => {
      const actor = staff(role, OWN, { keyWorker: true, grants: ['support_plans', 'crisis_plans'] });
      for (const action of [
        'plan.list',
        'plan.read',
        'plan.start',
        'plan.break_glass',
        'plan.notices',
        ...WORKER_CHANGES,
        ...MEMBER_ONLY,
      ] as const) {
        assert.equal(can(actor, action), false, action);
      }
    });
  }

  it('gives a signed-out visitor nothing', () => {
    const anonymous: Actor = { kind: 'anonymous' };
    for (const action of [
      'plan.list',
      'plan.read',
      'plan.start',
      'plan.break_glass',
      'plan.notices',
    ] as const) {
      assert.equal(can(anonymous, action), false, action);
    }
  });
});
