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
      'session.change',
      'schedule.manage',
      'calendar.read',
      'attention.list',
      'out_of_hours.manage',
    ] as const) {
      assert.equal(can(commissioner, action), false, action);
    }
  });

  it('lets everyone who helps at groups see the month view and the sessions needing attention', () => {
    for (const role of ['peer_support_worker', 'peer_bank_worker', 'volunteer', 'administrator'] as const) {
      assert.equal(can(staff([role]), 'calendar.read'), true, role);
      assert.equal(can(staff([role]), 'attention.list'), true, role);
      assert.equal(can(staff([role]), 'schedule.manage'), false, role);
      assert.equal(can(staff([role]), 'session.change'), false, role);
    }
  });

  it('lets group organisers set up schedules and change sessions, in their own organisation only', () => {
    for (const role of [
      'service_manager',
      'senior_peer_support_worker',
      'advanced_lived_experience_practitioner',
    ] as const) {
      assert.equal(can(staff([role]), 'schedule.manage', own), true, role);
      assert.equal(can(staff([role]), 'session.change', own), true, role);
      assert.equal(can(staff([role]), 'schedule.manage', other), false, role);
      assert.equal(can(staff([role]), 'session.change', other), false, role);
    }
  });

  it('leaves out-of-hours settings to service managers of the organisation', () => {
    assert.equal(can(staff(['service_manager']), 'out_of_hours.manage', own), true);
    assert.equal(can(staff(['service_manager']), 'out_of_hours.manage', other), false);
    for (const role of ['senior_peer_support_worker', 'administrator', 'peer_support_worker'] as const) {
      assert.equal(can(staff([role]), 'out_of_hours.manage'), false, role);
    }
  });
});
