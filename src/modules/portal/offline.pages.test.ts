import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildOrganisation } from '../../testing/builders/organisations.ts';
import { buildPlan } from '../../testing/builders/plans.ts';
import { buildSignedInMember } from '../../testing/builders/portal.ts';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { signedInAgent, startTestApp, type TestApp } from '../../testing/test-app.ts';

let t: TestApp;
let mail: MailServer;

before(async () => {
  mail = await startMailServer();
  t = await startTestApp();
});
after(async () => {
  await t.close();
  await mail.close();
});

describe('the offline copies of a member’s plans', () => {
  it('serves the worker for the plan pages only, and its starter script, to anyone', async () => {
    const worker = await t.agent().get('/my-account/service-worker.js');
    assert.equal(worker.status, 200);
    assert.match(String(worker.headers['content-type']), /^(text|application)\/javascript/);
    assert.equal(worker.headers['service-worker-allowed'], '/my-plans/');
    assert.match(worker.body, /alongside-member-plans-v1/);
    const starter = await t.agent().get('/my-account/offline.js');
    assert.equal(starter.status, 200);
    assert.match(starter.body, /scope: '\/my-plans\/'/);
  });

  it('lists only the member’s own safety plan and Resource and Support Plan as pages to keep', async () => {
    const organisationId = (await buildOrganisation(t.db)).id;
    const { member, agent } = await buildSignedInMember(t, mail, { organisationId });
    const other = await buildSignedInMember(t, mail, { organisationId });
    const owner = { id: member.id, organisationId };
    const safety = await buildPlan(t.db, t.clock, owner, 'safety');
    const rasp = await buildPlan(t.db, t.clock, owner, 'resource_and_support');
    await buildPlan(t.db, t.clock, owner, 'goal');
    await buildPlan(t.db, t.clock, { id: other.member.id, organisationId }, 'safety');

    const listed = await agent.get('/my-account/offline-pages');
    assert.equal(listed.status, 200);
    assert.match(String(listed.headers['cache-control']), /no-store/);
    const pages = (JSON.parse(listed.body) as { pages: string[] }).pages;
    assert.deepEqual(pages.sort(), [`/my-plans/${safety}`, `/my-plans/${rasp}`].sort());
    assert.deepEqual(JSON.parse((await other.agent.get('/my-account/offline-pages')).body), {
      pages: [
        (
          await t.db
            .selectFrom('plans')
            .select('id')
            .where('member_id', '=', other.member.id)
            .executeTakeFirstOrThrow()
        ).id,
      ].map((id) => `/my-plans/${id}`),
    });
  });

  it('lists nothing to someone signed out (sent to sign in) or to staff (403)', async () => {
    const signedOut = await t.agent().get('/my-account/offline-pages');
    assert.equal(signedOut.status, 303);
    assert.match(String(signedOut.headers.location), /^\/my-account\/sign-in/);
    const staff = await signedInAgent(t, await buildStaff(t.db, { roles: ['peer_support_worker'] }));
    assert.equal((await staff.get('/my-account/offline-pages')).status, 403);
  });
});
