import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { can } from '../../policy/index.ts';
import { GROUP_TYPES, SESSION_ROLES } from './facilitation.ts';
import * as forms from './groups.forms.ts';
import * as groups from './groups.service.ts';
import { upcomingSessionsOfGroup } from './calendar-month.service.ts';
import { patternInWords } from './schedules-occurrences.ts';
import { registerSchedulePages } from './schedules.pages.ts';
import { listSchedules } from './schedules.service.ts';
import { registerVenueChangePages } from './venues.pages.ts';
import { selected, sessionFormParts, sessionWhen } from './groups.view-values.ts';

type Values = Record<string, unknown>;

/** A session as the group page and the cancel page show it. */
function sessionSummary(session: groups.Session) {
  return {
    ...session,
    when: sessionWhen(session),
    where: [session.roomId && `${session.venueName}: ${session.roomName}`, session.onlineLink && 'Online']
      .filter(Boolean)
      .join(' and '),
    facilitatorText: session.facilitators
      .map((f) => `${f.name} (${SESSION_ROLES[f.sessionRole].toLowerCase()})`)
      .join(', '),
  };
}

const groupValues = (group: groups.Group): Values => ({
  name: group.name,
  type: group.type,
  serviceId: group.serviceId ?? '',
  audience: group.audience ?? '',
  capacity: String(group.capacity),
  mode: group.mode,
  defaultRoomId: group.defaultRoomId ?? '',
  version: group.version,
});

/**
 * Registers the pages for venues (list, add, show, add a room), group programmes (list, add, show,
 * change) and one-off sessions of a group (schedule, cancel).
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerGroupPages(app: FastifyInstance, deps: Deps): void {
  // Schedules, the month view, changes to sessions and out of hours (their own file, same module).
  registerSchedulePages(app, deps);
  // Changing a venue's details and its rooms (their own file, same module).
  registerVenueChangePages(app, deps);

  // Venues.

  app.get('/venues', { config: { can: 'venue.list' } }, async (req, reply) => {
    const venues = await groups.listVenues(ctxOf(req, deps));
    return renderPage(reply, 'venue-list.njk', {
      title: 'Venues',
      venues,
      canManage: can(req.actor, 'venue.manage'),
    });
  });

  const venueNewPage = (reply: FastifyReply, values: Values, errors?: FormErrors) =>
    renderFormPage(reply, 'venue-new.njk', { title: 'Add a venue', values }, errors);

  app.get('/venues/new', { config: { can: 'venue.manage' } }, async (_req, reply) => venueNewPage(reply, {}));

  app.post('/venues', { config: { can: 'venue.manage' } }, async (req, reply) => {
    const submitted = await submitForm(forms.venueForm, req.body, (data) =>
      groups.addVenue(ctxOf(req, deps), data),
    );
    if (submitted.ok) {
      return reply.redirect(`/venues/${submitted.result}`, 303);
    }
    return venueNewPage(reply, submitted.values, submitted.errors);
  });

  app.get('/venues/:venueId', { config: { can: 'venue.read' } }, async (req: Params<'venueId'>, reply) => {
    const venue = await groups.viewVenue(ctxOf(req, deps), req.params.venueId);
    return renderPage(reply, 'venue-show.njk', {
      title: venue.name,
      venue,
      canManage: can(req.actor, 'venue.manage', venue),
      back: { href: '/venues', text: 'Back to venues' },
    });
  });

  const roomPage = (reply: FastifyReply, venue: groups.Venue, values: Values, errors?: FormErrors) =>
    renderFormPage(reply, 'room-new.njk', { title: 'Add a room', venue, values }, errors);

  app.get(
    '/venues/:venueId/rooms/new',
    { config: { can: 'venue.manage' } },
    async (req: Params<'venueId'>, reply) =>
      roomPage(reply, await groups.venueForChange(ctxOf(req, deps), req.params.venueId), {}),
  );

  app.post(
    '/venues/:venueId/rooms',
    { config: { can: 'venue.manage' } },
    async (req: Params<'venueId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { venueId } = req.params;
      const submitted = await submitForm(forms.roomForm, req.body, (data) =>
        groups.addRoom(ctx, venueId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/venues/${venueId}`, 303);
      }
      return roomPage(reply, await groups.venueForChange(ctx, venueId), submitted.values, submitted.errors);
    },
  );

  // Group programmes.

  app.get('/groups', { config: { can: 'group.list' } }, async (req, reply) => {
    const list = await groups.listGroups(ctxOf(req, deps));
    return renderPage(reply, 'group-list.njk', {
      title: 'Groups',
      groups: list.map((g) => ({ ...g, typeText: GROUP_TYPES[g.type], modeText: forms.GROUP_MODES[g.mode] })),
      canManage: can(req.actor, 'group.manage'),
    });
  });

  const groupFormPage = (
    reply: FastifyReply,
    page: { title: string; action: string; back: string; buttonText: string },
    choices: groups.GroupChoices,
    values: Values,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'group-form.njk',
      {
        ...page,
        values,
        typeItems: Object.entries(GROUP_TYPES).map(([value, text]) => ({
          value,
          text,
          checked: values.type === value,
        })),
        modeItems: Object.entries(forms.GROUP_MODES).map(([value, text]) => ({
          value,
          text,
          checked: values.mode === value,
        })),
        serviceItems: [
          { value: '', text: 'No particular service' },
          ...choices.services.map((s) => ({
            value: s.id,
            text: s.name,
            selected: selected(values, 'serviceId') === s.id,
          })),
        ],
        roomItems: [
          { value: '', text: choices.rooms.length ? 'Choose a room' : 'No rooms have been added yet' },
          ...choices.rooms.map((r) => ({
            value: r.id,
            text: r.text,
            selected: selected(values, 'defaultRoomId') === r.id,
          })),
        ],
      },
      errors,
    );

  const newGroup = { title: 'Add a group', action: '/groups', back: '/groups', buttonText: 'Add the group' };

  app.get('/groups/new', { config: { can: 'group.manage' } }, async (req, reply) =>
    groupFormPage(reply, newGroup, await groups.groupChoices(ctxOf(req, deps)), {}),
  );

  app.post('/groups', { config: { can: 'group.manage' } }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    const submitted = await submitForm(forms.newGroupForm, req.body, (data) => groups.addGroup(ctx, data));
    if (submitted.ok) {
      return reply.redirect(`/groups/${submitted.result}`, 303);
    }
    return groupFormPage(reply, newGroup, await groups.groupChoices(ctx), submitted.values, submitted.errors);
  });

  app.get('/groups/:groupId', { config: { can: 'group.read' } }, async (req: Params<'groupId'>, reply) => {
    const ctx = ctxOf(req, deps);
    const { group } = await groups.viewGroup(ctx, req.params.groupId);
    const sessions = await upcomingSessionsOfGroup(ctx, group);
    const schedules = await listSchedules(ctx, group.id);
    return renderPage(reply, 'group-show.njk', {
      title: group.name,
      group,
      typeText: GROUP_TYPES[group.type],
      modeText: forms.GROUP_MODES[group.mode],
      sessions: sessions.map((s) => ({ ...s, when: sessionWhen(s) })),
      schedules: schedules.map((s) => ({
        ...s,
        words: `${patternInWords(s.rrule)}, ${s.startTime.slice(0, 5)} to ${s.endTime.slice(0, 5)}`,
      })),
      canManage: can(req.actor, 'group.manage', group),
      canSchedule: can(req.actor, 'session.manage', group),
      // The group page is its own organisation's only, so the role decides what else is offered.
      sessionLinks: {
        bookings: can(req.actor, 'booking.read'),
        register: can(req.actor, 'register.read'),
        note: can(req.actor, 'session_note.read'),
      },
      mayListRegisters: can(req.actor, 'register.list'),
      mayShareFeed: can(req.actor, 'calendar.group_feed'),
      back: { href: '/groups', text: 'Back to groups' },
    });
  });

  const changeGroup = (groupId: string) => ({
    title: 'Change the group',
    action: `/groups/${groupId}/change`,
    back: `/groups/${groupId}`,
    buttonText: 'Save changes',
  });

  app.get(
    '/groups/:groupId/change',
    { config: { can: 'group.manage' } },
    async (req: Params<'groupId'>, reply) => {
      const { group, ...choices } = await groups.groupForChange(ctxOf(req, deps), req.params.groupId);
      return groupFormPage(reply, changeGroup(group.id), choices, groupValues(group));
    },
  );

  app.post(
    '/groups/:groupId/change',
    { config: { can: 'group.manage' } },
    async (req: Params<'groupId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { groupId } = req.params;
      const submitted = await submitForm(forms.changeGroupForm, req.body, (data) =>
        groups.changeGroup(ctx, groupId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/groups/${groupId}`, 303);
      }
      const { group, ...choices } = await groups.groupForChange(ctx, groupId);
      return groupFormPage(reply, changeGroup(group.id), choices, submitted.values, submitted.errors);
    },
  );

  // Sessions.

  const sessionPage = (
    reply: FastifyReply,
    choices: groups.SessionChoices,
    values: Values,
    errors?: FormErrors,
  ) => {
    const linked = errors && forms.linkDateInput(errors);
    return renderFormPage(
      reply,
      'session-new.njk',
      {
        title: 'Schedule a session',
        values,
        ...sessionFormParts(choices, values),
      },
      linked && {
        ...linked,
        errorList: linked.errorList.map((item) =>
          item.href === '#facilitators' ? { ...item, href: '#facilitator1' } : item,
        ),
      },
    );
  };

  app.get(
    '/groups/:groupId/sessions/new',
    { config: { can: 'session.manage' } },
    async (req: Params<'groupId'>, reply) => {
      const choices = await groups.sessionChoices(ctxOf(req, deps), req.params.groupId);
      return sessionPage(reply, choices, { roomId: choices.group.defaultRoomId ?? '' });
    },
  );

  app.post(
    '/groups/:groupId/sessions',
    { config: { can: 'session.manage' } },
    async (req: Params<'groupId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { groupId } = req.params;
      const submitted = await submitForm(forms.sessionForm, req.body, (data) =>
        groups.scheduleSession(ctx, groupId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/groups/${groupId}`, 303);
      }
      return sessionPage(
        reply,
        await groups.sessionChoices(ctx, groupId),
        submitted.values,
        submitted.errors,
      );
    },
  );

  const cancelPage = (
    reply: FastifyReply,
    loaded: { group: groups.Group; session: groups.Session },
    values: Values,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'session-cancel.njk',
      { title: 'Cancel this session', group: loaded.group, session: sessionSummary(loaded.session), values },
      errors,
    );

  app.get(
    '/groups/:groupId/sessions/:sessionId/cancel',
    { config: { can: 'session.manage' } },
    async (req: Params<'groupId' | 'sessionId'>, reply) => {
      const loaded = await groups.sessionForCancel(
        ctxOf(req, deps),
        req.params.groupId,
        req.params.sessionId,
      );
      if (loaded.session.status !== 'scheduled') {
        return reply.redirect(`/groups/${loaded.group.id}`, 303);
      }
      return cancelPage(reply, loaded, { version: loaded.session.version });
    },
  );

  app.post(
    '/groups/:groupId/sessions/:sessionId/cancel',
    { config: { can: 'session.manage' } },
    async (req: Params<'groupId' | 'sessionId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { groupId, sessionId } = req.params;
      const submitted = await submitForm(forms.cancelSessionForm, req.body, (data) =>
        groups.cancelSession(ctx, groupId, sessionId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/groups/${groupId}`, 303);
      }
      return cancelPage(
        reply,
        await groups.sessionForCancel(ctx, groupId, sessionId),
        submitted.values,
        submitted.errors,
      );
    },
  );
}
