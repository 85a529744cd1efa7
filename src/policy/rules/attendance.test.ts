import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANONYMOUS, can, type Actor, type StaffActor, type StaffRole } from '../index.ts';

const staff = (roles: StaffRole[], id = 'a', organisationId = 'charity'): StaffActor => ({
  kind: 'staff',
  id,
  organisationId,
  hostOrganisation: false,
  roles,
  sharing: [],
});

const own = { organisationId: 'charity' };
const other = { organisationId: 'trust' };
/** A session of the charity facilitated by staff 'f1' and 'f2'. */
const session = { organisationId: 'charity', facilitatorIds: ['f1', 'f2'] };
const theirSession = { organisationId: 'trust', facilitatorIds: ['f1', 'f2'] };

describe('the attendance rules', () => {
  it('lets everyone who helps at groups see bookings and registers of their own organisation only', () => {
    for (const role of [
      'peer_support_worker',
      'clinical_facilitator',
      'peer_bank_worker',
      'volunteer',
      'administrator',
    ] as const) {
      assert.equal(can(staff([role]), 'booking.read', session), true, role);
      assert.equal(can(staff([role]), 'register.read', session), true, role);
      assert.equal(can(staff([role]), 'booking.read', theirSession), false, role);
      assert.equal(can(staff([role]), 'register.read', theirSession), false, role);
    }
  });

  it("lets the same people list a group's registers, in their own organisation only", () => {
    assert.equal(can(staff(['volunteer']), 'register.list', own), true);
    assert.equal(can(staff(['peer_support_worker']), 'register.list', other), false);
    assert.equal(can(staff(['commissioner']), 'register.list'), false);
  });

  it('lets front-line workers book members, but not volunteers, bank workers or administrators', () => {
    for (const role of [
      'peer_support_worker',
      'community_connector',
      'care_coordinator',
      'service_manager',
    ] as const) {
      assert.equal(can(staff([role]), 'booking.manage', own), true, role);
      assert.equal(can(staff([role]), 'booking.manage', other), false, role);
    }
    for (const role of ['volunteer', 'peer_bank_worker', 'administrator'] as const) {
      assert.equal(can(staff([role]), 'booking.manage'), false, role);
    }
  });

  it("lets only the session's own facilitators and the group organisers take its register and sign its note", () => {
    const facilitator = staff(['clinical_facilitator'], 'f1');
    const bankFacilitator = staff(['peer_bank_worker'], 'f2');
    const colleague = staff(['peer_support_worker'], 'someone-else');
    const organiser = staff(['senior_peer_support_worker'], 'organiser');
    for (const action of ['register.take', 'session_note.write'] as const) {
      assert.equal(can(facilitator, action, session), true, action);
      assert.equal(can(bankFacilitator, action, session), true, action);
      assert.equal(can(organiser, action, session), true, action);
      assert.equal(can(colleague, action, session), false, action);
      // A partner's organiser is not an organiser here.
      assert.equal(can(staff(['service_manager'], 'organiser', 'trust'), action, session), false, action);
      assert.equal(can(organiser, action, theirSession), false, action);
    }
    // A volunteer who facilitates (a social activity, say) takes its register, but the note is not theirs.
    assert.equal(can(staff(['volunteer'], 'f1'), 'register.take', session), true);
    assert.equal(can(staff(['volunteer'], 'someone-else'), 'register.take', session), false);
    assert.equal(can(staff(['volunteer'], 'f1'), 'session_note.write'), false);
  });

  it("lets a partner organisation's facilitator of a session see and take its register and sign its note, and nothing else", () => {
    // The SUN model: an NHS trust clinician co-facilitates the charity's group as one team.
    const partner = staff(['clinical_facilitator'], 'f1', 'trust');
    for (const action of [
      'booking.read',
      'register.read',
      'register.take',
      'session_note.read',
      'session_note.write',
    ] as const) {
      assert.equal(can(partner, action, session), true, action);
    }
    assert.equal(can(partner, 'booking.manage', own), false);
    const partnerColleague = staff(['clinical_facilitator'], 'someone-else', 'trust');
    for (const action of ['booking.read', 'register.read', 'session_note.read'] as const) {
      assert.equal(can(partnerColleague, action, session), false, action);
    }
  });

  it('keeps session notes from volunteers and administrators, and incidents with managers and the safeguarding lead', () => {
    assert.equal(can(staff(['peer_support_worker']), 'session_note.read', session), true);
    assert.equal(can(staff(['peer_bank_worker']), 'session_note.read', session), true);
    assert.equal(can(staff(['peer_support_worker']), 'session_note.read', theirSession), false);
    assert.equal(can(staff(['volunteer']), 'session_note.read'), false);
    assert.equal(can(staff(['administrator']), 'session_note.read'), false);
    assert.equal(can(staff(['service_manager']), 'incident.list'), true);
    assert.equal(can(staff(['safeguarding_lead']), 'incident.list'), true);
    assert.equal(can(staff(['peer_support_worker']), 'incident.list'), false);
  });

  it('gives a commissioner, a member and a signed-out visitor nothing here', () => {
    const member: Actor = { kind: 'member', memberId: 'm', organisationId: 'charity' };
    for (const actor of [staff(['commissioner']), member, ANONYMOUS]) {
      for (const action of [
        'booking.read',
        'booking.manage',
        'register.read',
        'register.take',
        'register.list',
        'session_note.read',
        'session_note.write',
        'incident.list',
      ] as const) {
        assert.equal(can(actor, action), false, `${actor.kind} ${action}`);
      }
    }
  });
});
