import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Db } from '../../database.ts';
import { accountEmailTemplates } from '../../modules/accounts/index.ts';
import type { NewMember } from '../../modules/members/index.ts';
import { portalTemplates } from '../../modules/portal/index.ts';
import { deliverDue, registerTemplates, smtpTransport } from '../../platform/outbox/outbox.ts';
import type { MailServer } from '../mail-server.ts';
import type { Agent, TestApp } from '../test-app.ts';
import { buildMember } from './members.ts';
import { buildOrganisation } from './organisations.ts';

/**
 * Delivers the outbox to the loopback SMTP server and reads the newest sign-in code sent to an address.
 *
 * @param t - the test app, or a listening app for a browser journey (on the real clock).
 * @param t.db - its database.
 * @param t.config - its configuration.
 * @param t.clock - its clock, when not the real one.
 * @param mail - the loopback mail server.
 * @param email - the member's email address.
 * @returns the 6-digit code and the sign-in link from the email.
 * @throws when no sign-in email reached that address.
 */
export async function readSignInEmail(
  t: { db: Db; config: Config; clock?: Clock },
  mail: MailServer,
  email: string,
): Promise<{ code: string; link: string }> {
  const transport = smtpTransport(mail.url, 'service@example.org');
  try {
    await deliverDue(
      t.db,
      { email: transport },
      registerTemplates(
        { email: accountEmailTemplates(t.config.branding.serviceName) },
        { email: portalTemplates(t.config.branding.serviceName).email },
      ),
      (t.clock ?? { now: () => new Date() }).now(),
      100,
    );
  } finally {
    transport.close();
  }
  const received = mail.received.filter(
    (m) => m.to.includes(email.toLowerCase()) && /sign-in code/.test(m.subject),
  );
  const latest = received.at(-1);
  const code = latest && /is (\d{6})/.exec(latest.text)?.[1];
  const link = latest && /(https?:\/\/\S+\/my-account\/sign-in\/link\/\S+)/.exec(latest.text)?.[1];
  if (!code || !link) {
    throw new Error('no sign-in code reached the member');
  }
  return { code, link };
}

/**
 * Signs a member in to the portal through the real pages: asks for a code by email address, reads it
 * from the loopback SMTP server and types it.
 *
 * @param t - the test app (any options: the code is delivered here, not by the app's worker).
 * @param mail - the loopback mail server.
 * @param member - who: their email address must be on their record.
 * @param member.email - the email address on their record.
 * @returns a client signed in as the member.
 */
export async function signedInMemberAgent(
  t: TestApp,
  mail: MailServer,
  member: { email: string },
): Promise<Agent> {
  const agent = t.agent();
  await agent.get('/my-account/sign-in');
  const asked = await agent.post('/my-account/sign-in', { contact: member.email });
  if (asked.status !== 303) {
    throw new Error(`asking for a code failed with ${asked.status}`);
  }
  const { code } = await readSignInEmail(t, mail, member.email);
  await agent.get('/my-account/sign-in/code');
  const signed = await agent.post('/my-account/sign-in/code', { code });
  if (signed.status !== 303) {
    throw new Error(`giving the code failed with ${signed.status}`);
  }
  return agent;
}

/**
 * Builds a member with an email address on their record (and an organisation when none is given), and
 * signs them in to the portal.
 *
 * @param t - the test app.
 * @param mail - the loopback mail server.
 * @param overrides - anything to set on the member.
 * @returns the member as written and a client signed in as them.
 */
export async function buildSignedInMember(
  t: TestApp,
  mail: MailServer,
  overrides: Partial<NewMember> = {},
): Promise<{ member: NewMember & { email: string }; agent: Agent }> {
  const organisationId = overrides.organisationId ?? (await buildOrganisation(t.db)).id;
  const email = overrides.email ?? `member-${randomUUID().slice(0, 8)}@example.org`;
  const member = await buildMember(t.db, { ...overrides, organisationId, email });
  return { member: { ...member, email }, agent: await signedInMemberAgent(t, mail, { email }) };
}
