import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildStaff } from '../testing/builders/accounts.ts';
import { buildGroup } from '../testing/builders/groups.ts';
import { hostOrganisation } from '../testing/builders/organisations.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { seedCalendars } from './seed-calendars.ts';

describe('the demo calendar feeds', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://demo.example.org' } });
  });
  after(() => t.close());

  it('gives a facilitator and a group a working feed address', async () => {
    const organisationId = (await hostOrganisation(t.db)).id;
    const facilitatorId = (await buildStaff(t.db, { organisationId })).id;
    const managerId = (await buildStaff(t.db, { organisationId, roles: ['service_manager'] })).id;
    const groupId = (await buildGroup(t.db, organisationId)).id;
    const feeds = await seedCalendars(
      t.db,
      { organisationId, facilitatorId, groupId, managerId },
      t.clock.now(),
      t.config.publicUrl,
    );
    for (const address of [feeds.facilitatorFeed, feeds.groupFeed]) {
      const response = await t.app.inject({ method: 'GET', url: new URL(address).pathname });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /^BEGIN:VCALENDAR/);
    }
  });
});
