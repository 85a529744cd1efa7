import type { StaffRole } from '../../policy/index.ts';
import type { GroupType, SessionRole } from './groups.tables.ts';

/**
 * Who may facilitate a group session, by the type of group. Pure rules, so they can be read (and
 * tested) apart from any page.
 *
 * The SUN model (shared/DESIGN.md section 1) has every group co-facilitated by one clinical
 * facilitator and one lived experience facilitator with equal standing: neither leads, so the rule
 * names two co-facilitators and no lead. Peer support groups and drop-ins are run by peer workers, and
 * bank peer workers may co-facilitate (the London peer support service). Other groups need someone.
 */

/** The words on screen for each type of group. */
export const GROUP_TYPES: Record<GroupType, string> = {
  sun_group: 'SUN group',
  peer_support_group: 'Peer support group',
  drop_in: 'Drop-in',
  social_activity: 'Social activity',
  living_well_workshop: 'Living-well workshop',
  recovery_college_course: 'Recovery college course',
  peer_support_training: 'Peer support training',
  carers_group: 'Carers group',
};

/** Each type of group as it reads inside a sentence. */
const IN_A_SENTENCE: Record<GroupType, string> = {
  sun_group: 'a SUN group',
  peer_support_group: 'a peer support group',
  drop_in: 'a drop-in',
  social_activity: 'a social activity',
  living_well_workshop: 'a living-well workshop',
  recovery_college_course: 'a recovery college course',
  peer_support_training: 'a peer support training session',
  carers_group: 'a carers group',
};

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The words on screen for each role in a session. */
export const SESSION_ROLES: Record<SessionRole, string> = {
  clinical: 'Clinical facilitator',
  lived_experience: 'Lived experience facilitator',
  peer_worker: 'Peer worker',
  peer_bank_worker: 'Peer bank worker',
  facilitator: 'Facilitator',
};

/** Staff roles that count as clinical for a SUN group. */
export const CLINICAL_ROLES: readonly StaffRole[] = [
  'clinical_facilitator',
  'psychological_wellbeing_practitioner',
];

/** Staff roles that count as lived experience for a SUN group. */
export const LIVED_EXPERIENCE_ROLES: readonly StaffRole[] = [
  'lived_experience_practitioner',
  'advanced_lived_experience_practitioner',
  'peer_support_worker',
  'senior_peer_support_worker',
];

/** Staff roles that count as a peer worker for a peer support group or a drop-in. */
export const PEER_WORKER_ROLES: readonly StaffRole[] = [
  'peer_support_worker',
  'senior_peer_support_worker',
  'lived_experience_practitioner',
  'advanced_lived_experience_practitioner',
];

/** The staff roles each session role needs; a general facilitator may be anyone on the staff. */
const QUALIFYING_ROLES: Record<Exclude<SessionRole, 'facilitator'>, readonly StaffRole[]> = {
  clinical: CLINICAL_ROLES,
  lived_experience: LIVED_EXPERIENCE_ROLES,
  peer_worker: PEER_WORKER_ROLES,
  peer_bank_worker: ['peer_bank_worker'],
};

/**
 * The session roles each type of group offers.
 *
 * @param type - the type of group.
 * @returns the roles, in the order the page offers them.
 */
export function sessionRolesFor(type: GroupType): SessionRole[] {
  switch (type) {
    case 'sun_group':
      return ['clinical', 'lived_experience'];
    case 'peer_support_group':
    case 'drop_in':
      return ['peer_worker', 'peer_bank_worker'];
    case 'social_activity':
    case 'living_well_workshop':
    case 'recovery_college_course':
    case 'peer_support_training':
    case 'carers_group':
      return ['facilitator', 'peer_worker', 'peer_bank_worker', 'lived_experience', 'clinical'];
  }
}

/** A facilitator as the rule sees them: who, their staff roles and their role in the session. */
export type Facilitator = {
  staffId: string;
  name: string;
  roles: readonly StaffRole[];
  sessionRole: SessionRole;
};

const LABEL_PHRASE: Record<SessionRole, string> = {
  clinical: 'a clinical facilitator',
  lived_experience: 'a lived experience facilitator',
  peer_worker: 'a peer worker',
  peer_bank_worker: 'a peer bank worker',
  facilitator: 'a facilitator',
};

const QUALIFYING_PHRASE: Record<Exclude<SessionRole, 'facilitator'>, string> = {
  clinical: 'a clinical facilitator or a psychological wellbeing practitioner',
  lived_experience: 'a lived experience practitioner or a peer support worker',
  peer_worker: 'a peer support worker or a lived experience practitioner',
  peer_bank_worker: 'a peer bank worker',
};

/**
 * Checks a session's facilitators against the rule for its type of group.
 *
 * @param type - the type of group.
 * @param facilitators - who is facilitating, with their staff roles and their role in the session.
 * @returns what is missing or wrong, in plain English, most important first; empty when the rule is met.
 */
export function facilitationProblems(type: GroupType, facilitators: readonly Facilitator[]): string[] {
  const problems: string[] = [];
  const group = IN_A_SENTENCE[type];
  const unnamed = facilitators.filter((f) => f.name.trim() === '');
  if (unnamed.length > 0) {
    problems.push('Every facilitator must be a named member of staff');
  }
  const offered = sessionRolesFor(type);
  for (const f of facilitators) {
    if (!offered.includes(f.sessionRole)) {
      problems.push(`${f.name} cannot be ${LABEL_PHRASE[f.sessionRole]} in ${group}`);
    } else if (f.sessionRole !== 'facilitator') {
      const role = f.sessionRole;
      if (!f.roles.some((r) => QUALIFYING_ROLES[role].includes(r))) {
        problems.push(`${f.name} cannot be ${LABEL_PHRASE[role]}: they must be ${QUALIFYING_PHRASE[role]}`);
      }
    }
  }
  const count = (role: SessionRole) => facilitators.filter((f) => f.sessionRole === role).length;
  switch (type) {
    case 'sun_group': {
      const clinical = count('clinical');
      const livedExperience = count('lived_experience');
      if (clinical === 0 && livedExperience === 0) {
        problems.unshift('A SUN group needs a clinical facilitator and a lived experience facilitator');
      } else if (clinical === 0) {
        problems.unshift(
          'A SUN group needs a clinical facilitator as well as the lived experience facilitator',
        );
      } else if (livedExperience === 0) {
        problems.unshift(
          'A SUN group needs a lived experience facilitator as well as the clinical facilitator',
        );
      }
      if (clinical > 1 || livedExperience > 1) {
        problems.push(
          'A SUN group has exactly one clinical facilitator and one lived experience facilitator, with equal standing',
        );
      }
      break;
    }
    case 'peer_support_group':
    case 'drop_in':
      if (count('peer_worker') === 0) {
        problems.unshift(
          `${capitalised(group)} needs at least one peer worker (peer bank workers may join them)`,
        );
      }
      break;
    case 'social_activity':
    case 'living_well_workshop':
    case 'recovery_college_course':
    case 'peer_support_training':
    case 'carers_group':
      if (facilitators.length === 0) {
        problems.unshift(`${capitalised(group)} needs at least one facilitator`);
      }
      break;
  }
  return problems;
}

/**
 * Who a session is missing for the rule of its type of group, as the words after "needs": "a lived
 * experience facilitator". Used where staffing fell through after the session was published.
 *
 * @param type - the type of group.
 * @param facilitators - who is still facilitating, in which role.
 * @returns the words, or null when no one is missing.
 */
export function missingFacilitators(
  type: GroupType,
  facilitators: readonly Pick<Facilitator, 'sessionRole'>[],
): string | null {
  const count = (role: SessionRole) => facilitators.filter((f) => f.sessionRole === role).length;
  switch (type) {
    case 'sun_group': {
      const missing = [
        count('clinical') === 0 && 'a clinical facilitator',
        count('lived_experience') === 0 && 'a lived experience facilitator',
      ].filter((m): m is string => typeof m === 'string');
      return missing.length > 0 ? missing.join(' and ') : null;
    }
    case 'peer_support_group':
    case 'drop_in':
      return count('peer_worker') === 0 ? 'a peer worker' : null;
    case 'social_activity':
    case 'living_well_workshop':
    case 'recovery_college_course':
    case 'peer_support_training':
    case 'carers_group':
      return facilitators.length === 0 ? 'a facilitator' : null;
  }
}
