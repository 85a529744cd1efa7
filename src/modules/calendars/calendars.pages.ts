import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderPage, type Params } from '../../http-context.ts';
import * as calendars from './calendars.service.ts';

const OWN_FEED_EXPLANATION = [
  'Your calendar feed puts the group sessions you facilitate and your one-to-one contacts in your own calendar program, such as Outlook, and keeps them up to date.',
  'One-to-one contacts show the person’s initials only, because calendars are often seen on shared screens and phones.',
];

const GROUP_FEED_EXPLANATION = [
  'A group’s calendar feed lets anyone you give the address to see when and where the group meets, in their own calendar program.',
  'It shows the group’s name, the times of its sessions and the venue, or that it is online. It never shows who comes, who facilitates or the link to an online meeting.',
];

/**
 * Sends a feed as an iCalendar file that Outlook and other calendar programs can subscribe to.
 *
 * @param reply - the reply.
 * @param body - the calendar file.
 * @returns the reply.
 */
function sendCalendar(reply: FastifyReply, body: string) {
  return reply
    .type('text/calendar; charset=utf-8')
    .header('Content-Disposition', 'inline; filename="calendar.ics"')
    .send(body);
}

/**
 * Registers the calendar feed pages: a member of staff's own feed (see, create, replace, stop), a
 * group's public feed (the same, for those who set up groups), and the two feed addresses.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerCalendarPages(app: FastifyInstance, deps: Deps): void {
  const { publicUrl } = deps.config;

  const ownFeedPage = (reply: FastifyReply, feed: { createdAt: Date } | null, token?: string) =>
    renderPage(reply, 'calendar-feed.njk', {
      title: 'Your calendar feed',
      explanation: OWN_FEED_EXPLANATION,
      feed,
      address: token && calendars.feedAddress(publicUrl, 'staff', token),
      formAction: '/calendar-feed',
      revokeAction: '/calendar-feed/revoke',
    });

  app.get('/calendar-feed', { config: { can: 'calendar.own_feed' } }, async (req, reply) =>
    ownFeedPage(reply, await calendars.viewOwnFeed(ctxOf(req, deps))),
  );

  // The new address is shown in this response only (it is never stored), so there is no redirect.
  // A form sent twice makes two addresses, the second replacing the first: the page the browser
  // ends on shows the second, which is the one that works.
  app.post('/calendar-feed', { config: { can: 'calendar.own_feed' } }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    const token = await calendars.createOwnFeed(ctx);
    return ownFeedPage(reply, await calendars.viewOwnFeed(ctx), token);
  });

  app.post('/calendar-feed/revoke', { config: { can: 'calendar.own_feed' } }, async (req, reply) => {
    await calendars.revokeOwnFeed(ctxOf(req, deps));
    return reply.redirect('/calendar-feed', 303);
  });

  const groupFeedPage = async (
    reply: FastifyReply,
    view: Awaited<ReturnType<typeof calendars.viewGroupFeed>>,
    token?: string,
  ) =>
    renderPage(reply, 'calendar-feed.njk', {
      title: 'Calendar feed for this group',
      caption: view.group.name,
      explanation: GROUP_FEED_EXPLANATION,
      feed: view.feed,
      address: token && calendars.feedAddress(publicUrl, 'group', token),
      formAction: `/groups/${view.group.id}/calendar-feed`,
      revokeAction: `/groups/${view.group.id}/calendar-feed/revoke`,
      back: { href: `/groups/${view.group.id}`, text: 'Back to the group' },
    });

  app.get(
    '/groups/:groupId/calendar-feed',
    { config: { can: 'calendar.group_feed' } },
    async (req: Params<'groupId'>, reply) =>
      groupFeedPage(reply, await calendars.viewGroupFeed(ctxOf(req, deps), req.params.groupId)),
  );

  app.post(
    '/groups/:groupId/calendar-feed',
    { config: { can: 'calendar.group_feed' } },
    async (req: Params<'groupId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const token = await calendars.createGroupFeed(ctx, req.params.groupId);
      return groupFeedPage(reply, await calendars.viewGroupFeed(ctx, req.params.groupId), token);
    },
  );

  app.post(
    '/groups/:groupId/calendar-feed/revoke',
    { config: { can: 'calendar.group_feed' } },
    async (req: Params<'groupId'>, reply) => {
      await calendars.revokeGroupFeed(ctxOf(req, deps), req.params.groupId);
      return reply.redirect(`/groups/${req.params.groupId}/calendar-feed`, 303);
    },
  );

  // The token is in the address because a calendar program can send nothing else; the access log
  // records the route's pattern, never the address itself.
  app.get(
    '/calendars/staff/:token.ics',
    { config: { can: 'calendar.feed.read' } },
    async (req: Params<'token'>, reply) =>
      sendCalendar(reply, await calendars.readFeed(ctxOf(req, deps), 'staff', req.params.token, publicUrl)),
  );

  app.get(
    '/calendars/groups/:token.ics',
    { config: { can: 'calendar.feed.read' } },
    async (req: Params<'token'>, reply) =>
      sendCalendar(reply, await calendars.readFeed(ctxOf(req, deps), 'group', req.params.token, publicUrl)),
  );
}
