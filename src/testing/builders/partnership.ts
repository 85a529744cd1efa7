import assert from 'node:assert/strict';
import type { Organisation } from '../../modules/organisations/index.ts';
import { signIn, startTestApp, type Agent, type Response, type TestApp } from '../test-app.ts';
import { buildAdministrator, buildPeerWorker, type BuiltStaff } from './accounts.ts';
import { buildOrganisation, hostOrganisation } from './organisations.ts';

/** A signed-in person and the client acting for them. */
export type SignedIn = { staff: BuiltStaff; agent: Agent };

/**
 * The people an organisation page test needs, each signed in through the real pages: the host
 * organisation's administrator, a partner's administrator, the administrator of an organisation with
 * no relation to anything under test, a peer support worker (a role that may not administer), and a
 * visitor who is not signed in.
 */
export type PartnershipCast = {
  host: Organisation;
  partner: Organisation;
  stranger: Organisation;
  hostAdmin: SignedIn;
  partnerAdmin: SignedIn;
  strangerAdmin: SignedIn;
  worker: SignedIn;
  visitor: Agent;
};

async function signedIn(t: TestApp, staff: BuiltStaff): Promise<SignedIn> {
  const agent = t.agent();
  await signIn(agent, staff, t.clock);
  return { staff, agent };
}

/**
 * Builds the host and two other organisations, and signs in one person of each kind.
 *
 * @param t - the test app.
 * @returns the organisations and the signed-in people.
 */
export async function buildPartnershipCast(t: TestApp): Promise<PartnershipCast> {
  const host = await hostOrganisation(t.db);
  const partner = await buildOrganisation(t.db, { name: 'Medway Peer Partnership', kind: 'charity' });
  const stranger = await buildOrganisation(t.db, {
    name: 'Unrelated Trust',
    kind: 'nhs_trust',
    odsCode: 'RZZ',
  });
  return {
    host,
    partner,
    stranger,
    hostAdmin: await signedIn(t, await buildAdministrator(t.db, { organisationId: host.id })),
    partnerAdmin: await signedIn(t, await buildAdministrator(t.db, { organisationId: partner.id })),
    strangerAdmin: await signedIn(t, await buildAdministrator(t.db, { organisationId: stranger.id })),
    worker: await signedIn(t, await buildPeerWorker(t.db, { organisationId: host.id })),
    visitor: t.agent(),
  };
}

/**
 * Starts the whole application over a fresh database and builds the partnership cast in it.
 *
 * @returns the test app and the cast.
 */
export async function startPartnershipApp(): Promise<{ t: TestApp; cast: PartnershipCast }> {
  const t = await startTestApp();
  return { t, cast: await buildPartnershipCast(t) };
}

/** An id that is well formed but belongs to nothing. */
export const MISSING_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The audit trail of one record, oldest first.
 *
 * @param t - the test app.
 * @param subjectId - the record's id.
 * @returns each row's action, actor, subject type and details.
 */
export async function auditRows(t: TestApp, subjectId: string) {
  return t.db
    .selectFrom('audit_events')
    .select(['action', 'actor_id', 'subject_type', 'details'])
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
}

/**
 * Sends a request the way a browser would for a page or a form.
 *
 * @param agent - the client.
 * @param method - GET or POST.
 * @param url - where.
 * @param fields - the form's fields, for a POST.
 * @returns the response.
 */
export function send(
  agent: Agent,
  method: 'GET' | 'POST',
  url: string,
  fields: Record<string, string | string[]> = {},
): Promise<Response> {
  return method === 'GET' ? agent.get(url) : agent.post(url, fields);
}

/** A page, as the method and address a browser would use. */
export type Page = readonly ['GET' | 'POST', string];

/**
 * Checks that a signed-out visitor is sent to sign in from every one of the pages.
 *
 * @param visitor - a client that is not signed in.
 * @param pages - the pages.
 */
export async function assertEachSendsToSignIn(visitor: Agent, pages: readonly Page[]): Promise<void> {
  for (const [method, url] of pages) {
    const response = await send(visitor, method, url, { name: 'Anything' });
    assert.equal(response.status, 303, `${method} ${url}`);
    assert.match(String(response.headers.location), /^\/sign-in/, `${method} ${url}`);
  }
}

/**
 * Checks that every one of the pages answers 403 to someone whose role may not use it.
 *
 * @param agent - the signed-in client.
 * @param pages - the pages.
 * @param fields - the form's fields, for a POST.
 */
export async function assertEachForbidden(
  agent: Agent,
  pages: readonly Page[],
  fields: Record<string, string | string[]>,
): Promise<void> {
  for (const [method, url] of pages) {
    const response = await send(agent, method, url, fields);
    assert.equal(response.status, 403, `${method} ${url}`);
  }
}

/**
 * A page with what changes on every response (the CSP nonce and the CSRF token) taken out, so two
 * responses can be compared for anything that tells them apart.
 *
 * @param body - the page.
 * @returns the page without them.
 */
export function withoutPerResponseValues(body: string): string {
  return body
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}
