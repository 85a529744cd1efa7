import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('runs with no settings at all on a development machine, with a generated secret kept in the data folder', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'alongside-config-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir });
      assert.equal(config.port, 3000);
      assert.equal(config.publicUrl, 'http://localhost:3000');
      assert.equal(config.secureTransport, false);
      assert.equal(config.sessionSecret, readFileSync(path.join(dataDir, '.secret'), 'utf8'));
      assert.equal(
        loadConfig({ DATA_DIR: dataDir }).sessionSecret,
        config.sessionSecret,
        'the same secret next time',
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start in production without its secrets, naming every problem at once', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 3 &&
        error.problems.some((p) => p.includes('SESSION_SECRET')) &&
        error.problems.some((p) => p.includes('DATABASE_URL or DATA_DIR')) &&
        error.problems.some((p) => p.includes('PUBLIC_URL')),
    );
  });

  it('lists every invalid variable together', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' }),
      (error: unknown) => error instanceof ConfigError && error.problems.length === 3,
    );
  });

  it('turns on secure cookies and HSTS when people reach the service over HTTPS', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://app@db.internal/alongside',
      PUBLIC_URL: 'https://support.example.org/',
    });
    assert.equal(config.secureTransport, true);
    assert.equal(config.publicUrl, 'https://support.example.org');
  });

  const notifyKey = `staging-${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}-${'2'.repeat(8)}-2222-4222-8222-${'2'.repeat(12)}`;
  const base = { DATA_DIR: '/nonexistent-config-test', SESSION_SECRET: 'x'.repeat(40) };

  it('sends text messages only when both the Notify key and its template are given', () => {
    assert.equal(loadConfig(base).sms, undefined);
    const config = loadConfig({
      ...base,
      NOTIFY_API_KEY: notifyKey,
      NOTIFY_SMS_TEMPLATE_ID: '3f0c9a3e-7b1d-4c55-9a43-1b2c3d4e5f60',
    });
    assert.deepEqual(config.sms, {
      notifyApiKey: notifyKey,
      templateId: '3f0c9a3e-7b1d-4c55-9a43-1b2c3d4e5f60',
      baseUrl: undefined,
    });
    assert.throws(
      () => loadConfig({ ...base, NOTIFY_API_KEY: notifyKey }),
      (error: unknown) =>
        error instanceof ConfigError && error.problems.some((p) => p.includes('needed together')),
    );
  });

  it('refuses a malformed Notify key without repeating it in the message', () => {
    assert.throws(
      () =>
        loadConfig({
          ...base,
          NOTIFY_API_KEY: 'not-a-real-key-but-secret-looking',
          NOTIFY_SMS_TEMPLATE_ID: 'also wrong',
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 2 &&
        !error.message.includes('secret-looking'),
    );
  });
});
