import { z } from 'zod';
import { UUID_PATTERN } from '../../platform/identifiers/uuid.ts';
import type { AttendanceStatus, ConductMethod } from './attendance.tables.ts';
import { CONDUCT_METHODS } from './bookings.forms.ts';

/**
 * The register form: one row per person (expected members, anyone who cancelled, walk-ins added at
 * the door), each with a status, sent in one submission. Its fields are named by member id
 * (`status-<id>`, `conduct-<id>`), so the form is parsed here rather than by a fixed schema.
 */

/** Each status in the words a facilitator uses, in the order the register offers them. */
export const ATTENDANCE_STATUSES: Record<AttendanceStatus, string> = {
  attended: 'Attended',
  late: 'Arrived late',
  left_early: 'Left early',
  did_not_attend: 'Did not attend',
  cancelled_by_member: 'Cancelled by the member',
  cancelled_by_service: 'Cancelled by the service',
};

/** The statuses that mean the person was at the group (they count as engagement). */
export const PRESENT: readonly AttendanceStatus[] = ['attended', 'late', 'left_early'];

const isStatus = (value: unknown): value is AttendanceStatus =>
  typeof value === 'string' && Object.hasOwn(ATTENDANCE_STATUSES, value);

const isConductMethod = (value: unknown): value is ConductMethod =>
  typeof value === 'string' && Object.hasOwn(CONDUCT_METHODS, value);

const ids = z.preprocess(
  (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string()).transform((list) => [...new Set(list.filter((id) => UUID_PATTERN.test(id)))]),
);

const fixedFields = z.object({
  version: z.coerce.number().int().min(0).catch(0),
  submissionKey: z.string().regex(UUID_PATTERN).optional().catch(undefined),
  action: z.enum(['save', 'search', 'add']).catch('save'),
  q: z.string().trim().max(200).catch(''),
  addWalkIn: z.string().regex(UUID_PATTERN).optional().catch(undefined),
  members: ids,
  walkIns: ids,
});

/** One person's row as submitted: the status chosen (if any), and how they agreed the code of conduct. */
export type SubmittedRow = {
  memberId: string;
  walkIn: boolean;
  status: AttendanceStatus | undefined;
  conductMethod: ConductMethod | undefined;
};

/** A submitted register, read from the form. */
export type SubmittedRegister = {
  version: number;
  submissionKey: string | undefined;
  action: 'save' | 'search' | 'add';
  q: string;
  addWalkIn: string | undefined;
  rows: SubmittedRow[];
};

/**
 * Reads a submitted register form. Nothing here is refused: the service checks each row against the
 * session's list and says what is missing, name by name.
 *
 * @param body - the parsed request body.
 * @returns the register as submitted.
 */
export function readRegisterForm(body: unknown): SubmittedRegister {
  const values = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const fixed = fixedFields.parse(values);
  const walkIns = fixed.walkIns.filter((id) => !fixed.members.includes(id));
  const row = (memberId: string, walkIn: boolean): SubmittedRow => {
    const status = values[`status-${memberId}`];
    const conduct = values[`conduct-${memberId}`];
    return {
      memberId,
      walkIn,
      status: isStatus(status) ? status : undefined,
      conductMethod: isConductMethod(conduct) ? conduct : undefined,
    };
  };
  return {
    version: fixed.version,
    submissionKey: fixed.submissionKey,
    action: fixed.addWalkIn ? 'add' : fixed.action,
    q: fixed.q,
    addWalkIn: fixed.addWalkIn,
    rows: [...fixed.members.map((id) => row(id, false)), ...walkIns.map((id) => row(id, true))],
  };
}
