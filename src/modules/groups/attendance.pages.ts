import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { errorsFrom, formErrors, parseForm, type FormErrors } from '../../platform/forms/forms.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { timeInLondon } from '../../platform/time/london-time.ts';
import { formatDate, formatDateTime } from '../../platform/views/filters/format-date.ts';
import { can } from '../../policy/index.ts';
import type { AttendanceSession } from './attendance.service.ts';
import * as bookingForms from './bookings.forms.ts';
import * as bookings from './bookings.service.ts';
import { GROUP_TYPES, SESSION_ROLES } from './facilitation.ts';
import { ATTENDANCE_STATUSES, readRegisterForm, type SubmittedRegister } from './register.forms.ts';
import * as register from './register.service.ts';
import * as noteForms from './session-notes.forms.ts';
import * as notes from './session-notes.service.ts';

type Values = Record<string, unknown>;
type SessionParams = Params<'groupId' | 'sessionId'>;

/** A session's day and times in words, in UK time: "Tuesday 3 March 2026, 10:00 to 12:00". */
function sessionWhen(session: { startsAt: Date; endsAt: Date }): string {
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/London' }).format(
    session.startsAt,
  );
  return `${weekday} ${formatDate(dayInLondon(session.startsAt))}, ${timeInLondon(session.startsAt)} to ${timeInLondon(session.endsAt)}`;
}

/** What every page about one session shows at the top. */
function sessionHeading(session: AttendanceSession) {
  const base = `/groups/${session.groupId}/sessions/${session.id}`;
  return {
    ...session,
    when: sessionWhen(session),
    typeText: GROUP_TYPES[session.groupType],
    where: [session.roomName && `${session.venueName}: ${session.roomName}`, session.online && 'Online']
      .filter(Boolean)
      .join(' and '),
    facilitatorText: session.facilitators
      .map((f) => `${f.name} (${SESSION_ROLES[f.sessionRole].toLowerCase()})`)
      .join(', '),
    links: {
      bookings: `${base}/bookings`,
      register: `${base}/register`,
      note: `${base}/note`,
      group: `/groups/${session.groupId}`,
    },
  };
}

const CONDUCT_ITEMS = Object.entries(bookingForms.CONDUCT_METHODS).map(([value, text]) => ({ value, text }));

const queryText = (req: FastifyRequest, name: string): string => {
  const value = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim().slice(0, 200) : '';
};

/**
 * Registers the booking, waiting list, register, session note, incident and code of conduct pages.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerAttendancePages(app: FastifyInstance, deps: Deps): void {
  const sessionPath = '/groups/:groupId/sessions/:sessionId';

  // Bookings and the waiting list.

  const bookingsPage = async (
    req: SessionParams,
    reply: FastifyReply,
    search: string,
    errors?: FormErrors & { full?: { memberId: string; kind: string } },
  ) => {
    const ctx = ctxOf(req, deps);
    const view = await bookings.viewBookings(ctx, req.params.groupId, req.params.sessionId, search);
    const session = sessionHeading(view.session);
    const free = view.session.placeLimit - view.expectedCount;
    const bookable =
      view.mayBook &&
      view.session.groupType !== 'drop_in' &&
      view.session.status === 'scheduled' &&
      view.session.startsAt > ctx.clock.now();
    return renderFormPage(
      reply,
      'booking-list.njk',
      {
        title: 'Bookings',
        session,
        expected: view.people.filter((p) => p.expected),
        cancelled: view.people.filter(
          (p) => !p.expected && p.bookingStatus !== null && p.bookingStatus !== 'booked',
        ),
        waiting: view.waiting.map((w, index) => ({ ...w, position: index + 1 })),
        found: view.found,
        search,
        free,
        expectedCount: view.expectedCount,
        full: free <= 0,
        bookable,
        dropIn: view.session.groupType === 'drop_in',
        mayBook: view.mayBook,
        fullOffer: errors?.full,
        back: { href: session.links.group, text: 'Back to the group' },
      },
      errors,
    );
  };

  app.get(`${sessionPath}/bookings`, { config: { can: 'booking.read' } }, async (req: SessionParams, reply) =>
    bookingsPage(req, reply, queryText(req, 'q')),
  );

  const bookingFailure = async (req: SessionParams, reply: FastifyReply, error: unknown, search: string) => {
    const errors = errorsFrom(error);
    if (error instanceof bookings.BookingFull) {
      // The full message comes with the offer to add the same person to the waiting list instead.
      const body = req.body as Values;
      const memberId = typeof body.memberId === 'string' ? body.memberId : '';
      const kind = body.kind === 'weekly' ? 'weekly' : 'session';
      return bookingsPage(req, reply, search, { ...errors, full: { memberId, kind } });
    }
    return bookingsPage(req, reply, search, errors);
  };

  const searchOf = (req: FastifyRequest) => {
    const q = (req.body as Values | undefined)?.q;
    return typeof q === 'string' ? q.trim().slice(0, 200) : '';
  };

  app.post(
    `${sessionPath}/bookings`,
    { config: { can: 'booking.manage' } },
    async (req: SessionParams, reply) => {
      const form = parseForm(bookingForms.bookingForm, req.body);
      if (!form.ok) {
        return bookingsPage(req, reply, searchOf(req), form);
      }
      try {
        await bookings.bookMember(ctxOf(req, deps), req.params.groupId, req.params.sessionId, form.data);
      } catch (error) {
        return bookingFailure(req, reply, error, searchOf(req));
      }
      return reply.redirect(`/groups/${req.params.groupId}/sessions/${req.params.sessionId}/bookings`, 303);
    },
  );

  app.post(
    `${sessionPath}/waiting-list`,
    { config: { can: 'booking.manage' } },
    async (req: SessionParams, reply) => {
      const form = parseForm(bookingForms.waitingListForm, req.body);
      if (!form.ok) {
        return bookingsPage(req, reply, searchOf(req), form);
      }
      try {
        await bookings.addToWaitingList(
          ctxOf(req, deps),
          req.params.groupId,
          req.params.sessionId,
          form.data,
        );
      } catch (error) {
        return bookingsPage(req, reply, searchOf(req), errorsFrom(error));
      }
      return reply.redirect(`/groups/${req.params.groupId}/sessions/${req.params.sessionId}/bookings`, 303);
    },
  );

  app.post(
    `${sessionPath}/waiting-list/:entryId/offer`,
    { config: { can: 'booking.manage' } },
    async (req: Params<'groupId' | 'sessionId' | 'entryId'>, reply) => {
      const { groupId, sessionId, entryId } = req.params;
      await bookings.offerPlace(ctxOf(req, deps), groupId, sessionId, entryId);
      return reply.redirect(`/groups/${groupId}/sessions/${sessionId}/bookings`, 303);
    },
  );

  app.post(
    `${sessionPath}/waiting-list/:entryId/book`,
    { config: { can: 'booking.manage' } },
    async (req: Params<'groupId' | 'sessionId' | 'entryId'>, reply) => {
      const { groupId, sessionId, entryId } = req.params;
      try {
        await bookings.bookFromWaitingList(ctxOf(req, deps), groupId, sessionId, entryId);
      } catch (error) {
        return bookingsPage(req, reply, '', errorsFrom(error));
      }
      return reply.redirect(`/groups/${groupId}/sessions/${sessionId}/bookings`, 303);
    },
  );

  type MemberParams = Params<'groupId' | 'sessionId' | 'memberId'>;

  const cancelPage = async (req: MemberParams, reply: FastifyReply, values: Values, errors?: FormErrors) => {
    const { groupId, sessionId, memberId } = req.params;
    const { session, person } = await bookings.bookingForCancel(
      ctxOf(req, deps),
      groupId,
      sessionId,
      memberId,
    );
    const heading = sessionHeading(session);
    return renderFormPage(
      reply,
      'booking-cancel.njk',
      {
        title: 'Cancel a booking',
        session: heading,
        person,
        values,
        byWhomItems: Object.entries(bookingForms.BOOKING_CANCELLERS).map(([value, text]) => ({
          value,
          text,
          checked: values.byWhom === value,
        })),
        scopeItems: [
          { value: 'this_session', text: 'This session only', checked: values.scope !== 'from_this_session' },
          {
            value: 'from_this_session',
            text: 'This session and every week after: end their regular place',
            checked: values.scope === 'from_this_session',
          },
        ],
        back: { href: heading.links.bookings, text: 'Back to bookings' },
      },
      errors,
    );
  };

  app.get(
    `${sessionPath}/bookings/:memberId/cancel`,
    { config: { can: 'booking.manage' } },
    async (req: MemberParams, reply) => cancelPage(req, reply, {}),
  );

  app.post(
    `${sessionPath}/bookings/:memberId/cancel`,
    { config: { can: 'booking.manage' } },
    async (req: MemberParams, reply) => {
      const { groupId, sessionId, memberId } = req.params;
      const form = parseForm(bookingForms.cancelBookingForm, req.body);
      if (!form.ok) {
        return cancelPage(req, reply, form.values, form);
      }
      await bookings.cancelBooking(ctxOf(req, deps), groupId, sessionId, memberId, form.data);
      return reply.redirect(`/groups/${groupId}/sessions/${sessionId}/bookings`, 303);
    },
  );

  // The code of conduct.

  const conductPage = async (req: MemberParams, reply: FastifyReply, values: Values, errors?: FormErrors) => {
    const { groupId, sessionId, memberId } = req.params;
    const { session, member } = await bookings.conductFor(ctxOf(req, deps), groupId, sessionId, memberId);
    const heading = sessionHeading(session);
    return renderFormPage(
      reply,
      'conduct-record.njk',
      {
        title: 'Record agreement to the code of conduct',
        session: heading,
        member,
        values,
        methodText: member.conductMethod ? bookingForms.CONDUCT_METHODS[member.conductMethod] : undefined,
        methodItems: CONDUCT_ITEMS.map((item) => ({ ...item, checked: values.method === item.value })),
        back: { href: heading.links.bookings, text: 'Back to bookings' },
      },
      errors,
    );
  };

  app.get(
    `${sessionPath}/conduct/:memberId`,
    { config: { can: 'booking.manage' } },
    async (req: MemberParams, reply) => conductPage(req, reply, {}),
  );

  app.post(
    `${sessionPath}/conduct/:memberId`,
    { config: { can: 'booking.manage' } },
    async (req: MemberParams, reply) => {
      const { groupId, sessionId, memberId } = req.params;
      const form = parseForm(bookingForms.conductForm, req.body);
      if (!form.ok) {
        return conductPage(req, reply, form.values, form);
      }
      await bookings.recordConduct(ctxOf(req, deps), groupId, sessionId, memberId, form.data);
      return reply.redirect(`/groups/${groupId}/sessions/${sessionId}/bookings`, 303);
    },
  );

  // The register.

  const registerPage = async (
    req: SessionParams,
    reply: FastifyReply,
    submitted: SubmittedRegister | undefined,
    errors?: FormErrors,
  ) => {
    const ctx = ctxOf(req, deps);
    const walkInIds = submitted?.rows.filter((r) => r.walkIn).map((r) => r.memberId) ?? [];
    if (submitted?.action === 'add' && submitted.addWalkIn) {
      walkInIds.push(submitted.addWalkIn);
    }
    const view = await register.viewRegister(ctx, req.params.groupId, req.params.sessionId, {
      walkInIds,
      search: submitted?.action === 'search' ? submitted.q : undefined,
    });
    const chosen = new Map(submitted?.rows.map((r) => [r.memberId, r]));
    const session = sessionHeading(view.session);
    return renderFormPage(
      reply,
      'register-form.njk',
      {
        title: 'Register',
        session,
        saved: view.saved,
        version: submitted?.version ?? view.version,
        submissionKey: submitted?.submissionKey ?? randomUUID(),
        rows: view.rows.map((row) => {
          const typed = chosen.get(row.memberId);
          const status = typed ? typed.status : row.status;
          return {
            ...row,
            statusText: row.status ? ATTENDANCE_STATUSES[row.status] : 'Not recorded',
            statusItems: Object.entries(ATTENDANCE_STATUSES).map(([value, text]) => ({
              value,
              text,
              checked: status === value,
            })),
            conductItems: [
              { value: '', text: 'Not yet' },
              ...CONDUCT_ITEMS.map((item) => ({ ...item, selected: typed?.conductMethod === item.value })),
            ],
            hint: [
              row.walkIn
                ? 'Walked in'
                : row.regular
                  ? 'Comes every week'
                  : row.bookingStatus === 'booked'
                    ? 'Booked for this session'
                    : '',
              row.conductMethod ? '' : 'Has not agreed the code of conduct yet',
            ]
              .filter(Boolean)
              .join('. '),
          };
        }),
        found: view.found,
        q: submitted?.q ?? '',
        mayTake: view.mayTake,
        closedBecause: view.closedBecause,
        justSaved: queryText(req, 'saved') === '1',
        back: { href: session.links.group, text: 'Back to the group' },
      },
      errors,
    );
  };

  app.get(
    '/groups/:groupId/registers',
    { config: { can: 'register.list' } },
    async (req: Params<'groupId'>, reply) => {
      const { group, sessions, today } = await register.groupRegisters(ctxOf(req, deps), req.params.groupId);
      return renderPage(reply, 'register-list.njk', {
        title: 'Registers and session notes',
        group,
        sessions: sessions.map((s) => ({
          ...s,
          when: sessionWhen(s),
          href: `/groups/${group.id}/sessions/${s.sessionId}`,
          registerText: s.savedAt
            ? `Taken by ${s.savedByName} on ${formatDateTime(s.savedAt)} (${s.recorded} recorded)`
            : s.day > today
              ? 'Can be taken from the day of the session'
              : 'Not taken yet',
          registerDue: !s.savedAt && s.day <= today,
          noteText: !s.hasNote
            ? 'No note yet'
            : s.facilitators > 0 && s.signed >= s.facilitators
              ? 'Signed by every facilitator'
              : `Signed by ${s.signed} of ${s.facilitators} facilitators`,
        })),
        back: { href: `/groups/${group.id}`, text: 'Back to the group' },
      });
    },
  );

  app.get(
    `${sessionPath}/register`,
    { config: { can: 'register.read' } },
    async (req: SessionParams, reply) => registerPage(req, reply, undefined),
  );

  app.post(
    `${sessionPath}/register`,
    { config: { can: 'register.take' } },
    async (req: SessionParams, reply) => {
      const { groupId, sessionId } = req.params;
      const submitted = readRegisterForm(req.body);
      const ctx = ctxOf(req, deps);
      if (submitted.action !== 'save') {
        // Searching for or adding a walk-in redraws the register with everything chosen so far.
        if (submitted.action === 'search' && submitted.q === '') {
          return registerPage(
            req,
            reply,
            submitted,
            formErrors([{ field: 'q', message: 'Enter part of the name of the person who walked in' }]),
          );
        }
        return registerPage(req, reply, {
          ...submitted,
          q: submitted.action === 'search' ? submitted.q : '',
        });
      }
      try {
        await register.saveRegister(ctx, groupId, sessionId, submitted);
      } catch (error) {
        if (error instanceof register.RegisterConflict) {
          const conflict = await register.registerConflict(ctx, groupId, sessionId, submitted);
          return renderPage(
            reply,
            'register-conflict.njk',
            {
              title: 'Someone else saved this register',
              ...conflict,
              session: sessionHeading(conflict.session),
            },
            409,
          );
        }
        return registerPage(req, reply, submitted, errorsFrom(error));
      }
      return reply.redirect(`/groups/${groupId}/sessions/${sessionId}/register?saved=1`, 303);
    },
  );

  // The session note and incidents.

  const notePage = async (req: SessionParams, reply: FastifyReply, values: Values, errors?: FormErrors) => {
    const view = await notes.viewNote(ctxOf(req, deps), req.params.groupId, req.params.sessionId);
    const session = sessionHeading(view.session);
    return renderFormPage(
      reply,
      'session-note-show.njk',
      {
        title: 'Session note',
        ...view,
        session,
        paragraphs: view.note ? view.note.body.split(/\r?\n/).filter((line) => line.trim() !== '') : [],
        signingRows: [
          ...view.signing.map((s) => ({
            key: { text: `${s.name} (${SESSION_ROLES[s.sessionRole].toLowerCase()})` },
            value: {
              text: s.signedAt
                ? `Signed on ${formatDateTime(s.signedAt)}`
                : s.signedEarlierAt
                  ? `Signed an earlier version on ${formatDateTime(s.signedEarlierAt)}: needs to sign again`
                  : 'Not signed yet',
            },
          })),
          ...view.otherSignatures.map((s) => ({
            key: { text: s.name },
            value: { text: `Signed on ${formatDateTime(s.signedAt)}` },
          })),
        ],
        values: { body: view.note?.body ?? '', ...values },
        back: { href: session.links.group, text: 'Back to the group' },
      },
      errors,
    );
  };

  app.get(
    `${sessionPath}/note`,
    { config: { can: 'session_note.read' } },
    async (req: SessionParams, reply) => notePage(req, reply, {}),
  );

  app.post(
    `${sessionPath}/note`,
    { config: { can: 'session_note.write' } },
    async (req: SessionParams, reply) => {
      const { groupId, sessionId } = req.params;
      const form = parseForm(noteForms.noteForm, req.body);
      if (!form.ok) {
        return notePage(req, reply, form.values, form);
      }
      await notes.saveNote(ctxOf(req, deps), groupId, sessionId, form.data);
      return reply.redirect(`/groups/${groupId}/sessions/${sessionId}/note`, 303);
    },
  );

  app.post(
    `${sessionPath}/note/sign`,
    { config: { can: 'session_note.write' } },
    async (req: SessionParams, reply) => {
      const { groupId, sessionId } = req.params;
      const form = parseForm(noteForms.signForm, req.body);
      if (!form.ok) {
        return notePage(
          req,
          reply,
          {},
          formErrors([{ field: 'sign', message: 'Reload the page and try again' }]),
        );
      }
      try {
        await notes.signNote(ctxOf(req, deps), groupId, sessionId, form.data);
      } catch (error) {
        return notePage(req, reply, {}, errorsFrom(error));
      }
      return reply.redirect(`/groups/${groupId}/sessions/${sessionId}/note`, 303);
    },
  );

  app.post(
    `${sessionPath}/incidents`,
    { config: { can: 'session_note.write' } },
    async (req: SessionParams, reply) => {
      const { groupId, sessionId } = req.params;
      const form = parseForm(noteForms.incidentForm, req.body);
      if (!form.ok) {
        return notePage(req, reply, { description: form.values.description }, form);
      }
      await notes.flagIncident(ctxOf(req, deps), groupId, sessionId, form.data);
      return reply.redirect(`/groups/${groupId}/sessions/${sessionId}/note`, 303);
    },
  );

  app.get('/session-incidents', { config: { can: 'incident.list' } }, async (req, reply) => {
    const flagged = await notes.listFlaggedSessions(ctxOf(req, deps));
    return renderPage(reply, 'attendance-incidents.njk', {
      title: 'Incidents at group sessions',
      flagged: flagged.map((f) => ({
        ...f,
        when: sessionWhen({ startsAt: f.startsAt, endsAt: f.startsAt }).split(',')[0],
        href: `/groups/${f.groupId}/sessions/${f.sessionId}/note`,
      })),
      mayList: can(req.actor, 'incident.list'),
    });
  });
}
