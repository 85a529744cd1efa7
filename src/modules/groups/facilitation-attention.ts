import { facilitationProblems, missingFacilitators, type Facilitator } from './facilitation.ts';
import type { GroupMode, GroupType } from './groups.tables.ts';

/**
 * What needs attention on a published session, worked out from the data as it is now (no job keeps a
 * flag up to date, so a flag can never be stale): staffing that fell through after the session was
 * published (an account closed, a facilitator taken off, a partner's agreement ended), an online link still to set up, a room
 * missing or too small for the group.
 */

/** What kind of thing needs doing: staffing and rooms are problems; a missing link is a task. */
export type AttentionKind = 'staffing' | 'room' | 'link';

export type Attention = { kind: AttentionKind; text: string };

/** A session as this check needs it. */
export type SessionForAttention = {
  group: { type: GroupType; mode: GroupMode; capacity: number };
  status: 'scheduled' | 'cancelled';
  roomId: string | null;
  roomCapacity: number | null;
  onlineLink: string | null;
  /**
   * Each named facilitator, whether their account is active, and whether they may facilitate on the
   * session's day (own staff, or a partner's while an agreement covers it) with their organisation.
   */
  facilitators: readonly (Facilitator & { active: boolean; permitted: boolean; organisationName: string })[];
};

/**
 * What needs attention on a session.
 *
 * @param session - the session, its group and its facilitators with whether their accounts are active.
 * @returns each thing, in words, staffing first; empty for a cancelled session or one that is fine.
 */
export function sessionAttention(session: SessionForAttention): Attention[] {
  if (session.status !== 'scheduled') {
    return [];
  }
  const found: Attention[] = [];
  const { group } = session;
  for (const f of session.facilitators) {
    if (!f.active) {
      found.push({ kind: 'staffing', text: `${f.name} can no longer facilitate: their account is closed` });
    } else if (!f.permitted) {
      found.push({
        kind: 'staffing',
        text: `${f.name} can no longer facilitate: no sharing agreement with ${f.organisationName} covers this session`,
      });
    }
  }
  const active = session.facilitators.filter((f) => f.active && f.permitted);
  const missing = missingFacilitators(group.type, active);
  if (missing) {
    found.push({ kind: 'staffing', text: `Needs ${missing}` });
  }
  // Anything else the rule says (a role the person no longer holds, say), after what is missing.
  for (const problem of facilitationProblems(group.type, active).slice(missing ? 1 : 0)) {
    found.push({ kind: 'staffing', text: problem });
  }
  if (group.mode !== 'online' && session.roomId === null) {
    found.push({ kind: 'room', text: 'Choose a room' });
  }
  if (group.mode === 'in_person' && session.roomCapacity !== null && session.roomCapacity < group.capacity) {
    found.push({
      kind: 'room',
      text: `The room holds ${session.roomCapacity}, fewer than the ${group.capacity} places in the group`,
    });
  }
  if (group.mode !== 'in_person' && session.onlineLink === null) {
    found.push({ kind: 'link', text: 'Set up the group link' });
  }
  return found;
}
