import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, renderPage } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { formatDateTime } from '../../platform/views/filters/format-date.ts';
import { COMMUNICATION_NEED_LABELS, CONTACT_METHOD_LABELS, detailsForm } from './portal.forms.ts';
import { membersSignInFirst } from './portal.pages.ts';
import { describeLook, describeRoles } from './record-looks.ts';
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

  const edit = { config: { can: 'portal.own_details.edit' as const }, onRequest: membersSignInFirst };

  app.get('/my-account', own, async (req, reply) => {
    const home = await portal.viewHome(ctxOf(req, deps));
    return renderPage(reply, 'portal-home.njk', {
      title: `Hello ${home.name}`,
      sessions: home.sessions.map(sessionView),
      links: HOME_LINKS,
    });
  });

  app.get('/my-account/sessions', own, async (req, reply) => {
    const sessions = await portal.viewSessions(ctxOf(req, deps));
    return renderPage(reply, 'portal-sessions.njk', {
      title: 'Your sessions',
      sessions: sessions.map(sessionView),
    });
  });

  app.get('/my-account/details', own, async (req, reply) => {
    const record = await portal.viewDetails(ctxOf(req, deps));
    return renderPage(reply, 'portal-details.njk', {
      title: 'Your details',
      record,
      saved: (req.query as { saved?: string }).saved === '1',
      contactMethods: record.contact_methods.map((m) => CONTACT_METHOD_LABELS[m]).join(', '),
      safeToLeaveMessage:
        record.safe_to_leave_message === null ? 'Not said' : record.safe_to_leave_message ? 'Yes' : 'No',
      communicationNeeds: [
        ...record.communication_needs
          .filter((n) => n !== 'another_language' && n !== 'other')
          .map((n) => COMMUNICATION_NEED_LABELS[n]),
        ...(record.preferred_language
          ? [`Information in ${record.preferred_language}, or an interpreter`]
          : []),
        ...(record.communication_needs_other ? [record.communication_needs_other] : []),
      ].join(', '),
    });
  });

  const changePage = (reply: FastifyReply, values: Record<string, unknown>, errors?: FormErrors) => {
    const ticked = (name: string) => [values[name] ?? []].flat().map(String);
    return renderFormPage(
      reply,
      'portal-details-change.njk',
      {
        title: 'Change your details',
        values,
        contactItems: Object.entries(CONTACT_METHOD_LABELS).map(([value, text]) => ({
          value,
          text,
          checked: ticked('contactMethods').includes(value),
        })),
        needItems: Object.entries(COMMUNICATION_NEED_LABELS).map(([value, text]) => ({
          value,
          text,
          checked: ticked('communicationNeeds').includes(value),
        })),
        messageItems: [
          { value: 'yes', text: 'Yes', checked: values.safeToLeaveMessage === 'yes' },
          { value: 'no', text: 'No', checked: values.safeToLeaveMessage === 'no' },
        ],
      },
      errors,
    );
  };

  app.get('/my-account/details/change', edit, async (req, reply) => {
    const record = await portal.viewDetails(ctxOf(req, deps), 'details_change');
    return changePage(reply, {
      preferredName: record.preferred_name,
      pronouns: record.pronouns,
      contactMethods: record.contact_methods,
      safeToLeaveMessage:
        record.safe_to_leave_message === null ? '' : record.safe_to_leave_message ? 'yes' : 'no',
      communicationNeeds: record.communication_needs,
      preferredLanguage: record.preferred_language,
      communicationNeedsOther: record.communication_needs_other,
      version: record.version,
    });
  });

  app.post('/my-account/details/change', edit, async (req, reply) => {
    const submitted = await submitForm(detailsForm, req.body, (input) =>
      portal.changeOwnDetails(ctxOf(req, deps), input),
    );
    if (!submitted.ok) {
      return changePage(reply, submitted.values, submitted.errors);
    }
    return reply.redirect('/my-account/details?saved=1', 303);
  });

  app.get('/my-account/who-has-looked', own, async (req, reply) => {
    const { looks, notices } = await portal.viewLooksAtRecord(ctxOf(req, deps));
    return renderPage(reply, 'portal-who-has-looked.njk', {
      title: 'Who has looked at your record',
      looks: looks.map((look) => ({
        when: formatDateTime(look.at),
        what: describeLook(look.action),
        role: describeRoles(look.role),
        organisationName: look.organisationName,
      })),
      notices: notices.map((notice) => ({ when: formatDateTime(notice.at), text: notice.text })),
    });
  });
}
