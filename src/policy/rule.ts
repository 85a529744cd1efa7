import type { Actor } from './actors.ts';

/**
 * One policy rule. `who` says which actors may ever take the action (the route-level check, answered
 * with 403). `which` says which records they may take it on; a record outside it answers 404, because
 * a record in another organisation must look exactly like one that does not exist (reliability plan A3).
 */
export type Rule<Subject = never> = {
  who: (actor: Actor) => boolean;
  which?: (actor: Actor, subject: Subject) => boolean;
};

/** A record that belongs to one organisation. */
export type OrganisationOwned = { organisationId: string };
