import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Forbidden, NotFound } from '../platform/errors.ts';
import { ANONYMOUS, authorize, can, sharedUnder, type StaffActor } from './index.ts';

const staff = (overrides: Partial<StaffActor> = {}): StaffActor => ({
  kind: 'staff',
  id: 'a',
  organisationId: 'charity',
  hostOrganisation: false,
  roles: ['peer_support_worker'],
  sharing: [],
  ...overrides,
});

describe('the policy module', () => {
  it('lets anyone reach public pages and only staff their own account', () => {
    assert.equal(can(ANONYMOUS, 'public'), true);
    assert.equal(can(ANONYMOUS, 'account.self'), false);
    assert.equal(can(staff(), 'account.self'), true);
  });

  it('answers 403 for a role that may never act, 404 for a record outside the organisation', () => {
    const administrator = staff({ roles: ['administrator'] });
    assert.throws(() => authorize(staff(), 'staff.read', { organisationId: 'charity' }), Forbidden);
    assert.throws(() => authorize(administrator, 'staff.read', { organisationId: 'trust' }), NotFound);
    assert.doesNotThrow(() => authorize(administrator, 'staff.read', { organisationId: 'charity' }));
  });

  it('keeps partnership set-up with the host organisation’s administrators', () => {
    assert.equal(can(staff({ roles: ['administrator'] }), 'organisation.create'), false);
    assert.equal(
      can(staff({ roles: ['administrator'], hostOrganisation: true }), 'organisation.create'),
      true,
    );
    assert.equal(
      can(staff({ roles: ['service_manager'], hostOrganisation: true }), 'organisation.create'),
      false,
    );
  });

  it('shares only the categories an agreement grants, from the organisations that granted them', () => {
    const nhsWorker = staff({
      organisationId: 'trust',
      sharing: [{ fromOrganisationId: 'charity', category: 'crisis_plans', agreementId: 'x' }],
    });
    assert.equal(sharedUnder(nhsWorker, 'charity', 'crisis_plans'), true);
    assert.equal(sharedUnder(nhsWorker, 'charity', 'safeguarding'), false);
    assert.equal(sharedUnder(nhsWorker, 'another-charity', 'crisis_plans'), false);
    assert.equal(sharedUnder(ANONYMOUS, 'charity', 'crisis_plans'), false);
  });

  it('gives a commissioner no access to anyone’s record', () => {
    const commissioner = staff({ roles: ['commissioner'] });
    for (const action of ['staff.list', 'staff.read', 'audit.read', 'organisation.list'] as const) {
      assert.equal(can(commissioner, action), false, action);
    }
  });
});
