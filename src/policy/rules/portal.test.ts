import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFound, Forbidden } from '../../platform/errors.ts';
import { ANONYMOUS, authorize, can, type MemberActor, type StaffActor } from '../index.ts';

const member: MemberActor = { kind: 'member', memberId: 'm1', organisationId: 'charity' };
const otherMember: MemberActor = { kind: 'member', memberId: 'm2', organisationId: 'trust' };
const staff: StaffActor = {
  kind: 'staff',
  id: 's1',
  organisationId: 'charity',
  hostOrganisation: true,
  roles: ['administrator', 'service_manager', 'peer_support_worker'],
  sharing: [],
};

describe('the member portal rules', () => {
  it('lets someone signed out, or a member, ask for and give a sign-in code, but not staff', () => {
    assert.equal(can(ANONYMOUS, 'portal.sign_in'), true);
    assert.equal(can(member, 'portal.sign_in'), true);
    assert.equal(can(staff, 'portal.sign_in'), false);
    assert.equal(can(ANONYMOUS, 'portal.sign_out'), true);
    assert.equal(can(staff, 'portal.sign_out'), false);
  });

  it('lets a member read and change their own record only', () => {
    for (const action of ['portal.own_record', 'portal.own_details.edit'] as const) {
      assert.equal(can(member, action, { memberId: 'm1' }), true, action);
      assert.equal(can(member, action, { memberId: 'm2' }), false, action);
      assert.equal(can(otherMember, action, { memberId: 'm1' }), false, action);
    }
  });

  it("answers another member's record as missing (404), and staff or someone signed out as forbidden", () => {
    assert.throws(() => authorize(member, 'portal.own_record', { memberId: 'm2' }), NotFound);
    assert.throws(() => authorize(staff, 'portal.own_record', { memberId: 'm1' }), Forbidden);
    assert.throws(() => authorize(ANONYMOUS, 'portal.own_details.edit'), Forbidden);
    assert.doesNotThrow(() => authorize(member, 'portal.own_details.edit', { memberId: 'm1' }));
  });
});
