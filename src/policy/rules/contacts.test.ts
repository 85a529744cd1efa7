import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { can, type SharingGrant, type StaffActor, type StaffRole } from '../index.ts';
import { WELCOMING_ROLES } from './referrals.ts';

const staff = (roles: StaffRole[], organisationId = 'charity', sharing: SharingGrant[] = []): StaffActor => ({
  kind: 'staff',
  id: 'a',
  organisationId,
  hostOrganisation: false,
  roles,
  sharing,
});

const own = { organisationId: 'charity' };
const other = { organisationId: 'trust' };
const grant = (category: string): SharingGrant => ({
  fromOrganisationId: 'charity',
  category,
  agreementId: 'agreement',
});

const ALL_ACTIONS = [
  'contact.list',
  'contact.read',
  'contact.read_notes',
  'contact.record',
  'caseload.read_own',
  'caseload.read_any',
] as const;

describe('the contacts rules', () => {
  it('lets every front-line role record and read contacts and their notes in their own organisation', () => {
    for (const role of WELCOMING_ROLES) {
      const actor = staff([role]);
      for (const action of [
        'contact.list',
        'contact.read',
        'contact.read_notes',
        'contact.record',
      ] as const) {
        assert.equal(can(actor, action, own), true, `${role} ${action}`);
        assert.equal(can(actor, action, other), false, `${role} ${action} elsewhere`);
      }
      assert.equal(can(actor, 'caseload.read_own'), true, role);
    }
  });

  it('gives administrators, volunteers, bank workers and commissioners nothing here, notes least of all', () => {
    for (const role of ['administrator', 'volunteer', 'peer_bank_worker', 'commissioner'] as const) {
      for (const action of ALL_ACTIONS) {
        assert.equal(can(staff([role]), action), false, `${role} ${action}`);
      }
    }
  });

  it('lets a partner granted contacts and sessions see the list and a contact, never the notes, and change nothing', () => {
    const partner = staff(['care_coordinator'], 'trust', [grant('contacts_and_sessions')]);
    assert.equal(can(partner, 'contact.list', own), true);
    assert.equal(can(partner, 'contact.read', own), true);
    assert.equal(can(partner, 'contact.read_notes', own), false);
    assert.equal(can(partner, 'contact.record', own), false);
  });

  it('gives a partner with other grants, even every other category, no contacts', () => {
    const partner = staff(
      ['care_coordinator'],
      'trust',
      ['referrals', 'member_details', 'support_plans', 'crisis_plans', 'outcomes', 'safeguarding'].map(grant),
    );
    for (const action of ['contact.list', 'contact.read', 'contact.read_notes', 'contact.record'] as const) {
      assert.equal(can(partner, action, own), false, action);
    }
  });

  it('lets only service managers see other workers caseloads, in their own organisation', () => {
    assert.equal(can(staff(['service_manager']), 'caseload.read_any', own), true);
    assert.equal(can(staff(['service_manager']), 'caseload.read_any', other), false);
    for (const role of ['peer_support_worker', 'senior_peer_support_worker', 'safeguarding_lead'] as const) {
      assert.equal(can(staff([role]), 'caseload.read_any'), false, role);
    }
  });
});
