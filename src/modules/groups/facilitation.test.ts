import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StaffRole } from '../../policy/index.ts';
import { facilitationProblems, type Facilitator } from './facilitation.ts';
import type { SessionRole } from './groups.tables.ts';

let next = 0;
const person = (name: string, roles: StaffRole[], sessionRole: SessionRole): Facilitator => {
  next += 1;
  return { staffId: `staff-${next}`, name, roles, sessionRole };
};

const clinician = person('Dana Clinician', ['clinical_facilitator'], 'clinical');
const pwp = person('Pat Practitioner', ['psychological_wellbeing_practitioner'], 'clinical');
const livedExperience = person('Lee Lived', ['lived_experience_practitioner'], 'lived_experience');
const peerAsLivedExperience = person('Sam Peer', ['peer_support_worker'], 'lived_experience');

describe('facilitation rules', () => {
  it('accepts a SUN group with one clinical and one lived experience facilitator', () => {
    assert.deepEqual(facilitationProblems('sun_group', [clinician, livedExperience]), []);
    assert.deepEqual(facilitationProblems('sun_group', [pwp, peerAsLivedExperience]), []);
  });

  it('says which facilitator a SUN group is missing', () => {
    assert.deepEqual(facilitationProblems('sun_group', [clinician]), [
      'A SUN group needs a lived experience facilitator as well as the clinical facilitator',
    ]);
    assert.deepEqual(facilitationProblems('sun_group', [livedExperience]), [
      'A SUN group needs a clinical facilitator as well as the lived experience facilitator',
    ]);
    assert.deepEqual(facilitationProblems('sun_group', []), [
      'A SUN group needs a clinical facilitator and a lived experience facilitator',
    ]);
  });

  it('refuses a second clinical facilitator in a SUN group: exactly one of each, with equal standing', () => {
    assert.deepEqual(facilitationProblems('sun_group', [clinician, pwp, livedExperience]), [
      'A SUN group has exactly one clinical facilitator and one lived experience facilitator, with equal standing',
    ]);
  });

  it('refuses someone whose staff role does not fit the role they are given', () => {
    const manager = person('Mo Manager', ['service_manager'], 'clinical');
    assert.deepEqual(facilitationProblems('sun_group', [manager, livedExperience]), [
      'Mo Manager cannot be a clinical facilitator: they must be a clinical facilitator or a psychological wellbeing practitioner',
    ]);
    const clinicianAsLivedExperience = person('Dana Clinician', ['clinical_facilitator'], 'lived_experience');
    assert.deepEqual(facilitationProblems('sun_group', [pwp, clinicianAsLivedExperience]), [
      'Dana Clinician cannot be a lived experience facilitator: they must be a lived experience practitioner or a peer support worker',
    ]);
  });

  it('refuses roles a SUN group does not have, and unnamed facilitators', () => {
    const bank = person('Bo Bank', ['peer_bank_worker'], 'peer_bank_worker');
    assert.deepEqual(facilitationProblems('sun_group', [clinician, livedExperience, bank]), [
      'Bo Bank cannot be a peer bank worker in a SUN group',
    ]);
    const unnamed = person(' ', ['clinical_facilitator'], 'clinical');
    assert.deepEqual(facilitationProblems('sun_group', [unnamed, livedExperience]), [
      'Every facilitator must be a named member of staff',
    ]);
  });

  it('needs a peer worker for a peer support group or a drop-in, who peer bank workers may join', () => {
    const peer = person('Sam Peer', ['senior_peer_support_worker'], 'peer_worker');
    const advanced = person('Ash Advanced', ['advanced_lived_experience_practitioner'], 'peer_worker');
    const bank = person('Bo Bank', ['peer_bank_worker'], 'peer_bank_worker');
    assert.deepEqual(facilitationProblems('peer_support_group', [peer, bank]), []);
    assert.deepEqual(facilitationProblems('drop_in', [advanced]), []);
    assert.deepEqual(facilitationProblems('drop_in', [bank]), [
      'A drop-in needs at least one peer worker (peer bank workers may join them)',
    ]);
    assert.deepEqual(facilitationProblems('peer_support_group', []), [
      'A peer support group needs at least one peer worker (peer bank workers may join them)',
    ]);
    const clinicalPeer = person('Dana Clinician', ['clinical_facilitator'], 'peer_worker');
    assert.deepEqual(facilitationProblems('peer_support_group', [clinicalPeer]), [
      'Dana Clinician cannot be a peer worker: they must be a peer support worker or a lived experience practitioner',
    ]);
    assert.deepEqual(facilitationProblems('drop_in', [peer, clinician]), [
      'Dana Clinician cannot be a clinical facilitator in a drop-in',
    ]);
  });

  it('needs at least one facilitator, of any role, for every other type of group', () => {
    const manager = person('Mo Manager', ['service_manager'], 'facilitator');
    for (const type of [
      'social_activity',
      'living_well_workshop',
      'recovery_college_course',
      'peer_support_training',
      'carers_group',
    ] as const) {
      assert.deepEqual(facilitationProblems(type, [manager]), [], type);
    }
    assert.deepEqual(facilitationProblems('carers_group', []), [
      'A carers group needs at least one facilitator',
    ]);
    assert.deepEqual(facilitationProblems('living_well_workshop', []), [
      'A living-well workshop needs at least one facilitator',
    ]);
  });
});
