import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionAttention, type SessionForAttention } from './facilitation-attention.ts';

const sun: SessionForAttention = {
  group: { type: 'sun_group', mode: 'in_person', capacity: 12 },
  status: 'scheduled',
  roomId: 'room',
  roomCapacity: 12,
  onlineLink: null,
  facilitators: [
    {
      staffId: 'a',
      name: 'Dana Price',
      roles: ['clinical_facilitator'],
      sessionRole: 'clinical',
      active: true,
      permitted: true,
      organisationName: 'Kent Community Trust',
    },
    {
      staffId: 'b',
      name: 'Lee Hart',
      roles: ['lived_experience_practitioner'],
      sessionRole: 'lived_experience',
      active: true,
      permitted: true,
      organisationName: 'Medway Peer Charity',
    },
  ],
};

describe('sessions needing attention', () => {
  it('finds nothing on a fully staffed session in a room that fits', () => {
    assert.deepEqual(sessionAttention(sun), []);
  });

  it('says a SUN group needs a lived experience facilitator when theirs has left', () => {
    const left = { ...sun, facilitators: [sun.facilitators[0]!, { ...sun.facilitators[1]!, active: false }] };
    assert.deepEqual(
      sessionAttention(left).map((a) => a.text),
      ['Lee Hart can no longer facilitate: their account is closed', 'Needs a lived experience facilitator'],
    );
    assert.deepEqual(
      sessionAttention({ ...sun, facilitators: [] }).map((a) => a.text),
      ['Needs a clinical facilitator and a lived experience facilitator'],
    );
  });

  it("says a SUN group needs a clinical facilitator when the partner's agreement no longer covers theirs", () => {
    const uncovered = {
      ...sun,
      facilitators: [{ ...sun.facilitators[0]!, permitted: false }, sun.facilitators[1]!],
    };
    assert.deepEqual(
      sessionAttention(uncovered).map((a) => a.text),
      [
        'Dana Price can no longer facilitate: no sharing agreement with Kent Community Trust covers this session',
        'Needs a clinical facilitator',
      ],
    );
  });

  it('asks for the link of an online session, a room for an in-person one, and flags a room too small', () => {
    const online = {
      ...sun,
      group: { ...sun.group, mode: 'online' as const },
      roomId: null,
      roomCapacity: null,
    };
    assert.deepEqual(sessionAttention(online), [{ kind: 'link', text: 'Set up the group link' }]);
    assert.deepEqual(sessionAttention({ ...sun, roomId: null, roomCapacity: null }), [
      { kind: 'room', text: 'Choose a room' },
    ]);
    assert.deepEqual(sessionAttention({ ...sun, roomCapacity: 8 }), [
      { kind: 'room', text: 'The room holds 8, fewer than the 12 places in the group' },
    ]);
    assert.deepEqual(sessionAttention({ ...sun, status: 'cancelled', facilitators: [] }), []);
  });
});
