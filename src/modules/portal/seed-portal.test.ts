import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedPortal } from '../../demo/seed-portal.ts';
import { buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation } from '../../testing/builders/organisations.ts';
import { signedInMemberAgent } from '../../testing/builders/portal.ts';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';

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

describe('the demo member portal', () => {
  it('gives the demo members an example.org address they can sign in with, keeping any they had', async () => {
    const organisationId = (await buildOrganisation(t.db)).id;
    const ruth = await buildMember(t.db, { organisationId, legalName: 'Ruth Demo' });
    const kieran = await buildMember(t.db, { organisationId, legalName: 'Kieran Demo' });
    const peggy = await buildMember(t.db, {
      organisationId,
      legalName: 'Peggy Demo',
      email: 'peggy@example.org',
    });
    const lines = await t.db
      .transaction()
      .execute((tx) =>
        seedPortal(tx, { members: { ruth: ruth.id, kieran: kieran.id, peggy: peggy.id } }, t.clock.now()),
      );
    assert.match(lines.join('\n'), /ruth\.member@example\.org/);
    const emails = await t.db
      .selectFrom('members')
      .select(['id', 'email'])
      .where('organisation_id', '=', organisationId)
      .execute();
    assert.deepEqual(
      new Map(emails.map((m) => [m.id, m.email])),
      new Map([
        [ruth.id, 'ruth.member@example.org'],
        [kieran.id, 'kieran.member@example.org'],
        [peggy.id, 'peggy@example.org'],
      ]),
    );
    const agent = await signedInMemberAgent(t, mail, { email: 'ruth.member@example.org' });
    assert.match((await agent.get('/my-account')).body, /Hello Ruth Demo/);
  });
});
