import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../../deps.ts';
import { ctxOf, renderFormPage, type Params } from '../../http-context.ts';
import { submitForm, type FormErrors } from '../../platform/forms/forms.ts';
import { can } from '../../policy/index.ts';
import type { Venue } from './groups.service.ts';
import * as forms from './venues.forms.ts';
import * as venues from './venues.service.ts';
import { venueForChange } from './groups.service.ts';

type Values = Record<string, unknown>;
type Room = Awaited<ReturnType<typeof venues.roomForChange>>['room'];

/**
 * Registers the pages that change a venue's details, and change or retire one of its rooms.
 *
 * @param app - the application.
 * @param deps - its dependencies.
 */
export function registerVenueChangePages(app: FastifyInstance, deps: Deps): void {
  const venuePage = (reply: FastifyReply, venue: Venue, values: Values, errors?: FormErrors) =>
    renderFormPage(reply, 'venue-change.njk', { title: 'Change the venue', venue, values }, errors);

  app.get(
    '/venues/:venueId/change',
    { config: { can: 'venue.manage' } },
    async (req: Params<'venueId'>, reply) => {
      const venue = await venueForChange(ctxOf(req, deps), req.params.venueId);
      const { name, address, postcode, accessibility, version } = venue;
      return venuePage(reply, venue, { name, address, postcode, accessibility, version });
    },
  );

  app.post(
    '/venues/:venueId/change',
    { config: { can: 'venue.manage' } },
    async (req: Params<'venueId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { venueId } = req.params;
      const submitted = await submitForm(forms.changeVenueForm, req.body, (data) =>
        venues.changeVenue(ctx, venueId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/venues/${venueId}`, 303);
      }
      return venuePage(reply, await venueForChange(ctx, venueId), submitted.values, submitted.errors);
    },
  );

  const roomPage = (
    reply: FastifyReply,
    loaded: { venue: Venue; room: Room },
    values: Values,
    errors?: FormErrors,
  ) => renderFormPage(reply, 'room-change.njk', { title: 'Change the room', ...loaded, values }, errors);

  app.get(
    '/venues/:venueId/rooms/:roomId/change',
    { config: { can: 'venue.manage' } },
    async (req: Params<'venueId' | 'roomId'>, reply) => {
      const loaded = await venues.roomForChange(ctxOf(req, deps), req.params.venueId, req.params.roomId);
      if (loaded.room.retiredAt !== null) {
        return reply.redirect(`/venues/${loaded.venue.id}`, 303);
      }
      const { name, capacity, version } = loaded.room;
      return roomPage(reply, loaded, { name, capacity: String(capacity), version });
    },
  );

  app.post(
    '/venues/:venueId/rooms/:roomId/change',
    { config: { can: 'venue.manage' } },
    async (req: Params<'venueId' | 'roomId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { venueId, roomId } = req.params;
      const submitted = await submitForm(forms.changeRoomForm, req.body, (data) =>
        venues.changeRoom(ctx, venueId, roomId, data),
      );
      if (submitted.ok) {
        return reply.redirect(`/venues/${venueId}`, 303);
      }
      return roomPage(
        reply,
        await venues.roomForChange(ctx, venueId, roomId),
        submitted.values,
        submitted.errors,
      );
    },
  );

  const retirePage = async (
    req: Params<'venueId' | 'roomId'>,
    reply: FastifyReply,
    version: unknown,
    errors?: FormErrors,
  ) => {
    const loaded = await venues.roomForRetiring(ctxOf(req, deps), req.params.venueId, req.params.roomId);
    if (loaded.room.retiredAt !== null) {
      return reply.redirect(`/venues/${loaded.venue.id}`, 303);
    }
    return renderFormPage(
      reply,
      'room-retire.njk',
      {
        title: `Retire ${loaded.room.name}`,
        ...loaded,
        inUse: loaded.sessions.length > 0 || loaded.groups.length > 0,
        // Moving a session is a group organiser's task; a venue keeper without it sees the list only.
        canChangeSessions: can(req.actor, 'session.change'),
        canChangeGroups: can(req.actor, 'group.manage'),
        values: { version },
      },
      errors,
    );
  };

  app.get(
    '/venues/:venueId/rooms/:roomId/retire',
    { config: { can: 'venue.manage' } },
    async (req: Params<'venueId' | 'roomId'>, reply) => {
      const { room } = await venues.roomForChange(ctxOf(req, deps), req.params.venueId, req.params.roomId);
      return retirePage(req, reply, room.version);
    },
  );

  app.post(
    '/venues/:venueId/rooms/:roomId/retire',
    { config: { can: 'venue.manage' } },
    async (req: Params<'venueId' | 'roomId'>, reply) => {
      const ctx = ctxOf(req, deps);
      const { venueId, roomId } = req.params;
      const submitted = await submitForm(forms.retireRoomForm, req.body, (data) =>
        venues.retireRoom(ctx, venueId, roomId, data.version),
      );
      if (submitted.ok) {
        return reply.redirect(`/venues/${venueId}`, 303);
      }
      return retirePage(req, reply, submitted.values.version, submitted.errors);
    },
  );
}
