import path from 'node:path';

export {
  createMember,
  findPossibleDuplicates,
  findVisibleMember,
  latestDischarge,
  memberOrganisationsVisibleTo,
  startEpisode,
} from './members.service.ts';
export { registerEngagementPages } from './engagement.pages.ts';
export { registerEpisodePages } from './episodes.pages.ts';
export { registerMemberPages } from './members.pages.ts';
export { CONTACT_METHOD_LABELS } from './members.forms.ts';
export { NAME_SIMILARITY_THRESHOLD, duplicateStrength, findMemberName } from './members.repo.ts';
export type {
  DuplicateMatch,
  DuplicateProbe,
  MemberName,
  NewMember,
  PossibleDuplicate,
} from './members.repo.ts';
export type { CommunicationNeed, ContactMethod } from './members.tables.ts';

/** Where this module's page templates live. */
export const membersViews = [path.join(import.meta.dirname, 'views')];
