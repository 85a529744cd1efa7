import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANONYMOUS, can, type StaffActor, type StaffRole } from '../index.ts';

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

describe('the calendar rules', () => {
  it('lets a calendar program fetch a feed without signing in: the token in the address decides', () => {
    assert.equal(can(ANONYMOUS, 'calendar.feed.read'), true);
  });

  it('gives every member of staff who may run sessions or contacts a feed of their own, but not commissioners', () => {
    for (const role of [
      'peer_support_worker',
      'clinical_facilitator',
      'volunteer',
      'administrator',
    ] as const) {
      assert.equal(can(staff([role]), 'calendar.own_feed'), true, role);
    }
    assert.equal(can(staff(['commissioner']), 'calendar.own_feed'), false);
    assert.equal(can(ANONYMOUS, 'calendar.own_feed'), false);
  });

  it('lets those who set up groups hand out a group feed, in their own organisation only', () => {
    for (const role of [
      'service_manager',
      'senior_peer_support_worker',
      'advanced_lived_experience_practitioner',
    ] as const) {
      assert.equal(can(staff([role]), 'calendar.group_feed', own), true, role);
      assert.equal(can(staff([role]), 'calendar.group_feed', other), false, role);
    }
    for (const role of ['peer_support_worker', 'volunteer', 'commissioner'] as const) {
      assert.equal(can(staff([role]), 'calendar.group_feed'), false, role);
    }
  });
});
