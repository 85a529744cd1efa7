import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { can, type StaffActor, type StaffRole } from '../index.ts';

const staff = (roles: StaffRole[], organisationId = 'charity'): StaffActor => ({
  kind: 'staff',
  id: 'a',
  organisationId,
  hostOrganisation: false,
  roles,
  sharing: [],
});

const own = { organisationId: 'charity' };
const other = { organisationId: 'trust' };

describe('the groups rules', () => {
  it('lets front-line staff, bank workers and volunteers see venues and groups of their own organisation', () => {
    for (const role of [
      'peer_support_worker',
      'clinical_facilitator',
      'peer_bank_worker',
      'volunteer',
    ] as const) {
      assert.equal(can(staff([role]), 'group.read', own), true, role);
      assert.equal(can(staff([role]), 'venue.read', own), true, role);
      assert.equal(can(staff([role]), 'group.read', other), false, role);
      assert.equal(can(staff([role]), 'group.manage'), false, role);
      assert.equal(can(staff([role]), 'session.manage'), false, role);
    }
  });

  it('lets service managers and senior peer roles set up groups and schedule sessions, in their own organisation only', () => {
    for (const role of [
      'service_manager',
      'senior_peer_support_worker',
      'advanced_lived_experience_practitioner',
    ] as const) {
      assert.equal(can(staff([role]), 'group.manage', own), true, role);
      assert.equal(can(staff([role]), 'session.manage', own), true, role);
      assert.equal(can(staff([role]), 'session.manage', other), false, role);
    }
  });

  it('keeps venues with service managers and administrators', () => {
    assert.equal(can(staff(['administrator']), 'venue.manage', own), true);
    assert.equal(can(staff(['service_manager']), 'venue.manage', other), false);
    assert.equal(can(staff(['senior_peer_support_worker']), 'venue.manage'), false);
  });

  it('gives a commissioner nothing here', () => {
    const commissioner = staff(['commissioner']);
    for (const action of [
      'venue.list',
      'venue.read',
      'venue.manage',
      'group.list',
      'group.read',
      'group.manage',
      'session.manage',
    ] as const) {
      assert.equal(can(commissioner, action), false, action);
    }
  });
});
