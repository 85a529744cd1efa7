import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPassword, hashPassword, passwordProblem } from './passwords.ts';
import { sessionExpired } from './session.ts';

describe('password rules (reliability plan S6)', () => {
  it('accepts 8 characters or more with no rules about character types', () => {
    assert.equal(passwordProblem('kettle47'), undefined);
    assert.equal(passwordProblem('correct horse battery staple'), undefined);
    assert.equal(passwordProblem('ünïcödé🙂ok'), undefined);
  });

  it('refuses fewer than 8 characters, counting characters rather than bytes', () => {
    assert.equal(passwordProblem('seven77'), 'Password must be 8 characters or more');
    assert.equal(passwordProblem('🙂🙂🙂🙂🙂🙂🙂'), 'Password must be 8 characters or more');
  });

  it('allows long passphrases up to 256 characters', () => {
    assert.equal(passwordProblem('a quiet walk '.repeat(19)), undefined);
    assert.match(passwordProblem('x'.repeat(257)) ?? '', /256 characters or fewer/);
  });

  it('refuses common passwords whatever their case', () => {
    for (const common of ['password', 'Password1', 'qwertyuiop', 'liverpool', 'iloveyou']) {
      assert.match(passwordProblem(common) ?? '', /too common/, common);
    }
  });

  it('refuses a password made from the email address', () => {
    assert.equal(
      passwordProblem('priya.shah2026', 'priya.shah@example.org'),
      'Password must not contain your email address',
    );
  });

  it('stores Argon2id hashes that check the right password only', async () => {
    const stored = await hashPassword('tangerine kettle');
    assert.match(stored, /^\$argon2id\$/);
    assert.equal(await checkPassword(stored, 'tangerine kettle'), true);
    assert.equal(await checkPassword(stored, 'tangerine kettlf'), false);
    assert.equal(await checkPassword(null, 'anything'), false);
  });
});

describe('session limits', () => {
  const limits = { idleMinutes: 30, absoluteHours: 12 };
  const start = new Date('2026-03-02T09:00:00Z');
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

  it('keeps a session used within 30 minutes', () => {
    assert.equal(sessionExpired({ createdAt: start, lastSeenAt: start }, limits, at(30)), false);
  });

  it('ends a session idle for more than 30 minutes', () => {
    assert.equal(sessionExpired({ createdAt: start, lastSeenAt: start }, limits, at(30.02)), true);
  });

  it('ends any session older than 12 hours', () => {
    assert.equal(
      sessionExpired({ createdAt: start, lastSeenAt: at(12 * 60 - 1) }, limits, at(12 * 60 + 0.02)),
      true,
    );
  });
});
