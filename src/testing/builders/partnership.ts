import type { Organisation } from '../../modules/organisations/index.ts';
import { signIn, type Agent, type Response, type TestApp } from '../test-app.ts';
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
