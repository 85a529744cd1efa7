import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderPage } from '../../http-context.ts';
import { formatDateTime } from '../../platform/views/filters/format-date.ts';
import { membersSignInFirst } from './portal.pages.ts';
import type { UpcomingSession } from './portal.service.ts';
import * as portal from './portal.service.ts';

/** A session as the list shows it: "4 March 2026 at 6pm to 8pm", in UK time. */
function sessionView(session: UpcomingSession) {
  return {
    ...session,
    when: formatDateTime(session.startsAt),
    until: formatDateTime(session.endsAt).split(' at ')[1] ?? '',
  };
}

const HOME_LINKS = [
  {
    href: '/my-plans',
    text: 'Your plans',
    description: 'Your safety plan, resource and support plan and goals',
  },
  {
    href: '/my-account/sessions',
    text: 'Your sessions',
    description: 'Groups and sessions you are booked on',
  },
  {
    href: '/my-account/details',
    text: 'Your details',
    description: 'Your name, how to contact you and what you need from us',
  },
  {
    href: '/my-account/who-has-looked',
    text: 'Who has looked at your record',
    description: 'Each time someone at the service opened your record',
  },
];

/**
 * Registers the member's own pages. Each starts with the member's sign-in (members sign in at
 * /my-account/sign-in, not at the staff sign-in).
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerMemberPortalPages(app: FastifyInstance, deps: Deps): void {
  const own = { config: { can: 'portal.own_record' as const }, onRequest: membersSignInFirst };

  app.get('/my-account', own, async (req, reply) => {
    const home = await portal.viewHome(ctxOf(req, deps));
    return renderPage(reply, 'portal-home.njk', {
      title: `Hello ${home.name}`,
      sessions: home.sessions.map(sessionView),
      links: HOME_LINKS,
    });
  });
}
