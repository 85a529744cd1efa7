import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { dayInLondon } from '../../platform/time/day-in-london.ts';
import { timeInLondon } from '../../platform/time/london-time.ts';
import { formatDate } from '../../platform/views/filters/format-date.ts';
import { can } from '../../policy/index.ts';
import * as calendar from './calendar-month.service.ts';
import { SESSION_ROLES } from './facilitation.ts';
import { changeSessionForm, linkDateInput } from './groups.forms.ts';
import { sessionFormParts, sessionWhen, type SessionFormChoices } from './groups.view-values.ts';
import { patternInWords, WEEKDAYS } from './schedules-occurrences.ts';
import { eveningsFromText } from './schedules-out-of-hours.ts';
import * as forms from './schedules.forms.ts';
import * as schedules from './schedules.service.ts';
import * as changes from './session-changes.service.ts';

type Values = Record<string, unknown>;

/** Error summary links: a date's first box, and the rule's message to the first facilitator. */
function linked(errors: FormErrors | undefined, dates: string[] = ['date']): FormErrors | undefined {
  if (!errors) {
    return undefined;
  }
  const dated = linkDateInput(errors);
  return {
    ...dated,
    errorList: dated.errorList.map((item) => {
      if (item.href === '#facilitators') {
        return { ...item, href: '#facilitator1' };
      }
      const date = dates.find((d) => item.href === `#${d}`);
      return date ? { ...item, href: `#${date}-day` } : item;
    }),
  };
}

const valuesOfList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];

/**
 * Registers the schedule pages (set up, show, end), the month view, the sessions needing attention,
 * changing one session (and taking a facilitator off it), and the out-of-hours settings per service.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerSchedulePages(app: FastifyInstance, deps: Deps): void {
  // The month view and the sessions needing attention.

  app.get(
    '/groups/calendar',
    { config: { can: 'calendar.read' } },
    async (req: FastifyRequest<{ Querystring: { month?: unknown } }>, reply) => {
      const month = typeof req.query.month === 'string' ? req.query.month : undefined;
      const view = await calendar.monthView(ctxOf(req, deps), month);
      return renderPage(reply, 'calendar-month.njk', {
        ...view,
        canChange: can(req.actor, 'session.change'),
        back: { href: '/groups', text: 'Back to groups' },
      });
    },
  );

  app.get('/groups/attention', { config: { can: 'attention.list' } }, async (req, reply) => {
    const found = await calendar.sessionsNeedingAttention(ctxOf(req, deps));
    const withDay = (list: calendar.SessionInView[]) =>
      list.map((s) => ({ ...s, dayHeading: sessionWhen(s).split(',')[0] }));
    return renderPage(reply, 'sessions-attention.njk', {
      title: 'Sessions needing attention',
      problems: withDay(found.problems),
      tasks: withDay(found.tasks),
      weeks: found.weeks,
      canChange: can(req.actor, 'session.change'),
    });
  });

  // Schedules.

  const schedulePage = (
    reply: FastifyReply,
    choices: SessionFormChoices,
    values: Values,
    errors?: FormErrors,
  ) => {
    const chosenDays = valuesOfList(values.weekdays);
    const shown = linked(errors, ['startsOn', 'until']);
    return renderFormPage(
      reply,
      'schedule-new.njk',
      {
        title: 'Set up a weekly schedule',
        values,
        ...sessionFormParts(choices, values),
        weekdayItems: Object.entries(WEEKDAYS).map(([value, text]) => ({
          value,
          text,
          checked: chosenDays.includes(value),
        })),
        everyItems: [
          { value: '1', text: 'Every week', checked: values.everyWeeks === '1' },
          { value: '2', text: 'Every other week (fortnightly)', checked: values.everyWeeks === '2' },
        ],
        clashes: (shown?.errorList ?? [])
          .filter((e) => e.href.startsWith('#clash-'))
          .map((e) => ({ id: e.href.slice(1), text: e.text })),
      },
      shown,
    );
  };

  app.get(
    '/groups/:groupId/schedules/new',
    { config: { can: 'schedule.manage' } },
    async (req: Params<'groupId'>, reply) => {
      const choices = await schedules.scheduleChoices(ctxOf(req, deps), req.params.groupId);
      return schedulePage(reply, choices, {
        roomId: choices.group.defaultRoomId ?? '',
        everyWeeks: '1',
        endsAfter: 'sessions',
      });
    },
  );

  app.post(
    '/groups/:groupId/schedules',
    { config: { can: 'schedule.manage' } },
    async (req: Params<'groupId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { groupId } = req.params;
      const submitted = await submitForm(forms.scheduleForm, req.body, (data) =>
        schedules.setUpSchedule(ctx, groupId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/groups/${groupId}/schedules/${submitted.result.id}`, 303);
      }
      return schedulePage(
        reply,
        await schedules.scheduleChoices(ctx, groupId),
        submitted.values,
        submitted.errors,
      );
    },
  );

  const scheduleSummary = (loaded: Awaited<ReturnType<typeof schedules.viewSchedule>>) => {
    const { schedule } = loaded;
    return {
      group: loaded.group,
      schedule,
      coming: loaded.coming,
      pattern: patternInWords(schedule.rrule),
      time: `${schedule.startTime.slice(0, 5)} to ${schedule.endTime.slice(0, 5)}`,
      startsOn: formatDate(schedule.startsOn),
      lastDay: formatDate(schedule.materialisedUntil),
      month: schedule.startsOn.slice(0, 7),
      where:
        [
          schedule.roomId && `${schedule.venueName}: ${schedule.roomName}`,
          loaded.group.mode !== 'in_person' && (schedule.onlineLink ? 'Online' : 'Online (links to set up)'),
        ]
          .filter(Boolean)
          .join(' and ') || 'No room chosen',
      facilitatorText:
        schedule.facilitators
          .map((f) => `${f.name} (${SESSION_ROLES[f.sessionRole].toLowerCase()})`)
          .join(', ') || 'No one',
    };
  };

  app.get(
    '/groups/:groupId/schedules/:scheduleId',
    { config: { can: 'group.read' } },
    async (req: Params<'groupId' | 'scheduleId'>, reply) => {
      const loaded = await schedules.viewSchedule(
        ctxOf(req, deps),
        req.params.groupId,
        req.params.scheduleId,
      );
      return renderPage(reply, 'schedule-show.njk', {
        title: 'Weekly schedule',
        ...scheduleSummary(loaded),
        canManage: can(req.actor, 'schedule.manage', loaded.group),
      });
    },
  );

  const endPage = (
    reply: FastifyReply,
    loaded: Awaited<ReturnType<typeof schedules.viewSchedule>>,
    values: Values,
    errors?: FormErrors,
  ) =>
    renderFormPage(
      reply,
      'schedule-end.njk',
      { title: 'End this schedule', ...scheduleSummary(loaded), values },
      errors,
    );

  app.get(
    '/groups/:groupId/schedules/:scheduleId/end',
    { config: { can: 'schedule.manage' } },
    async (req: Params<'groupId' | 'scheduleId'>, reply) => {
      const loaded = await schedules.viewSchedule(
        ctxOf(req, deps),
        req.params.groupId,
        req.params.scheduleId,
        'schedule.manage',
      );
      if (loaded.schedule.status !== 'active') {
        return reply.redirect(`/groups/${loaded.group.id}/schedules/${loaded.schedule.id}`, 303);
      }
      return endPage(reply, loaded, { version: loaded.schedule.version });
    },
  );

  app.post(
    '/groups/:groupId/schedules/:scheduleId/end',
    { config: { can: 'schedule.manage' } },
    async (req: Params<'groupId' | 'scheduleId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { groupId, scheduleId } = req.params;
      const submitted = await submitForm(forms.endScheduleForm, req.body, (data) =>
        schedules.endSchedule(ctx, groupId, scheduleId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/groups/${groupId}/schedules/${scheduleId}`, 303);
      }
      const loaded = await schedules.viewSchedule(ctx, groupId, scheduleId, 'schedule.manage');
      return endPage(reply, loaded, submitted.values, submitted.errors);
    },
  );

  // Changing one session.

  type Loaded = Awaited<ReturnType<typeof changes.sessionForChange>>;
  const changePage = (reply: FastifyReply, loaded: Loaded, values: Values, errors?: FormErrors) =>
    renderFormPage(
      reply,
      'session-change.njk',
      { title: 'Change this session', session: loaded.session, values, ...sessionFormParts(loaded, values) },
      linked(errors),
    );

  app.get(
    '/groups/:groupId/sessions/:sessionId/change',
    { config: { can: 'session.change' } },
    async (req: Params<'groupId' | 'sessionId'>, reply) => {
      const loaded = await changes.sessionForChange(
        ctxOf(req, deps),
        req.params.groupId,
        req.params.sessionId,
      );
      const { session } = loaded;
      if (session.status !== 'scheduled') {
        return reply.redirect(`/groups/${loaded.group.id}`, 303);
      }
      const [year, month, day] = dayInLondon(session.startsAt).split('-');
      const values: Values = {
        'date-day': String(Number(day)),
        'date-month': String(Number(month)),
        'date-year': year,
        startTime: timeInLondon(session.startsAt),
        endTime: timeInLondon(session.endsAt),
        roomId: session.roomId ?? '',
        onlineLink: session.onlineLink ?? '',
        version: session.version,
      };
      session.facilitators.forEach((f, i) => {
        values[`facilitator${i + 1}`] = f.staffId;
        values[`role${i + 1}`] = f.sessionRole;
      });
      return changePage(reply, loaded, values);
    },
  );

  app.post(
    '/groups/:groupId/sessions/:sessionId/change',
    { config: { can: 'session.change' } },
    async (req: Params<'groupId' | 'sessionId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { groupId, sessionId } = req.params;
      const submitted = await submitForm(changeSessionForm, req.body, (data) =>
        changes.changeSession(ctx, groupId, sessionId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/groups/${groupId}`, 303);
      }
      return changePage(
        reply,
        await changes.sessionForChange(ctx, groupId, sessionId),
        submitted.values,
        submitted.errors,
      );
    },
  );

  app.post(
    '/groups/:groupId/sessions/:sessionId/facilitators/:staffId/remove',
    { config: { can: 'session.change' } },
    async (req: Params<'groupId' | 'sessionId' | 'staffId'>, reply) => {
      const { groupId, sessionId, staffId } = req.params;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const version = Number(body.version);
      await changes.takeOffSession(
        ctxOf(req, deps),
        groupId,
        sessionId,
        staffId,
        Number.isInteger(version) ? version : 0,
      );
      return reply.redirect(`/groups/${groupId}`, 303);
    },
  );

  // Out of hours, per service.

  app.get('/groups/out-of-hours', { config: { can: 'out_of_hours.manage' } }, async (req, reply) =>
    renderPage(reply, 'out-of-hours-list.njk', {
      title: 'Out of hours',
      services: await schedules.listOutOfHours(ctxOf(req, deps)),
    }),
  );

  const outOfHoursPage = (
    reply: FastifyReply,
    loaded: Awaited<ReturnType<typeof schedules.outOfHoursForChange>>,
    values: Values,
    errors?: FormErrors,
  ) => {
    const days = valuesOfList(values.days);
    return renderFormPage(
      reply,
      'out-of-hours-form.njk',
      {
        title: 'When is out of hours?',
        service: loaded.service,
        values,
        dayItems: [
          { value: 'saturdays', text: 'Saturdays', checked: days.includes('saturdays') },
          { value: 'sundays', text: 'Sundays', checked: days.includes('sundays') },
          {
            value: 'bank_holidays',
            text: 'Bank holidays',
            hint: { text: 'In England and Wales, as listed on GOV.UK' },
            checked: days.includes('bank_holidays'),
          },
        ],
      },
      errors,
    );
  };

  app.get(
    '/groups/out-of-hours/:serviceId',
    { config: { can: 'out_of_hours.manage' } },
    async (req: Params<'serviceId'>, reply) => {
      const loaded = await schedules.outOfHoursForChange(ctxOf(req, deps), req.params.serviceId);
      return outOfHoursPage(reply, loaded, {
        eveningsFrom: eveningsFromText(loaded.settings),
        days: [
          loaded.settings.saturdays && 'saturdays',
          loaded.settings.sundays && 'sundays',
          loaded.settings.bankHolidays && 'bank_holidays',
        ].filter(Boolean),
        version: loaded.version,
      });
    },
  );

  app.post(
    '/groups/out-of-hours/:serviceId',
    { config: { can: 'out_of_hours.manage' } },
    async (req: Params<'serviceId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { serviceId } = req.params;
      const submitted = await submitForm(forms.outOfHoursForm, req.body, (data) =>
        schedules.saveOutOfHours(ctx, serviceId, data),
      );
      if (submitted.ok) {
        return reply.redirect('/groups/out-of-hours', 303);
      }
      return outOfHoursPage(
        reply,
        await schedules.outOfHoursForChange(ctx, serviceId),
        submitted.values,
        submitted.errors,
      );
    },
  );
}
