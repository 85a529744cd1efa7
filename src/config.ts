import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Everything the service reads from its environment, parsed in one place.
 *
 * No other file reads `process.env` (a lint rule enforces it): configuration problems are reported
 * together at start-up instead of surfacing one at a time in the middle of a request.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z
    .url({ message: 'PUBLIC_URL must be a full address such as https://support.example.org' })
    .optional(),
  DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres://')
    .optional(),
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_MIGRATION_URL must start with postgres://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  TRUST_PROXY: booleanFlag.default(false),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Alongside <no-reply@localhost>'),
  // GOV.UK Notify's API keys are "<key name>-<service id>-<secret>", both ids being UUIDs
  // (https://docs.notifications.service.gov.uk/node.html#api-keys). The messages never quote the key.
  NOTIFY_API_KEY: z
    .string()
    .regex(
      /^.+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      'NOTIFY_API_KEY must be a GOV.UK Notify API key (its name followed by two ids)',
    )
    .optional(),
  NOTIFY_SMS_TEMPLATE_ID: z
    .uuid({ message: 'NOTIFY_SMS_TEMPLATE_ID must be a template id (a UUID)' })
    .optional(),
  NOTIFY_BASE_URL: z.url({ message: 'NOTIFY_BASE_URL must be a full address' }).optional(),
  SERVICE_NAME: z.string().min(1).max(60).default('Alongside'),
  ORGANISATION_NAME: z.string().min(1).max(120).default('Alongside peer support'),
  HEADER_NHS_LOGO: booleanFlag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO: booleanFlag.default(false),
});

export type Config = {
  environment: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  /** True when people reach the service over HTTPS: secure cookies with the __Host- prefix and HSTS. */
  secureTransport: boolean;
  dataDir: string;
  database: { url?: string; migrationUrl?: string; poolSize: number };
  sessionSecret: string;
  session: { idleMinutes: number; absoluteHours: number };
  trustProxy: boolean;
  mail: { smtpUrl?: string; from: string };
  /** Text messages through GOV.UK Notify; absent when not configured (texts then wait in the outbox). */
  sms?: { notifyApiKey: string; templateId: string; baseUrl?: string };
  branding: { serviceName: string; organisationName: string; nhsLogo: boolean };
  logLevel: string;
  demo: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The service cannot start because of its configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Reads the session secret for a development or demo data directory, creating one on first run.
 *
 * @param dataDir - the data directory.
 * @returns a 64-character hex secret kept in `<dataDir>/.secret` (readable by its owner only).
 */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, '.secret');
  if (existsSync(file)) {
    return readFileSync(file, 'utf8').trim();
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Parses the environment into a typed configuration, listing every problem at once.
 *
 * @param env - the environment, normally `process.env`.
 * @returns the configuration.
 * @throws ConfigError when any variable is invalid, or a production secret is missing.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const production = e.NODE_ENV === 'production';
  if (production) {
    // HMPPS's requireInProduction: a live service never falls back to a generated secret or a default store.
    if (!e.SESSION_SECRET) {
      problems.push('SESSION_SECRET is required in production');
    }
    if (!e.DATABASE_URL && !e.DATA_DIR) {
      problems.push('DATABASE_URL or DATA_DIR is required in production');
    }
    if (!e.PUBLIC_URL) {
      problems.push('PUBLIC_URL is required in production (links in emails use it)');
    }
  }
  if ((e.NOTIFY_API_KEY === undefined) !== (e.NOTIFY_SMS_TEMPLATE_ID === undefined)) {
    problems.push('NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID are needed together to send text messages');
  }
  if (e.NOTIFY_BASE_URL && production && !e.NOTIFY_BASE_URL.startsWith('https://')) {
    problems.push('NOTIFY_BASE_URL must start with https:// in production');
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  const dataDir = path.resolve(e.DATA_DIR ?? (e.DEMO ? './demo-data' : './data'));
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    environment: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    secureTransport: publicUrl.startsWith('https://'),
    dataDir,
    database: { url: e.DATABASE_URL, migrationUrl: e.DATABASE_MIGRATION_URL, poolSize: e.DATABASE_POOL_SIZE },
    sessionSecret: e.SESSION_SECRET ?? developmentSecret(dataDir),
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    trustProxy: e.TRUST_PROXY,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    ...(e.NOTIFY_API_KEY &&
      e.NOTIFY_SMS_TEMPLATE_ID && {
        sms: {
          notifyApiKey: e.NOTIFY_API_KEY,
          templateId: e.NOTIFY_SMS_TEMPLATE_ID,
          baseUrl: e.NOTIFY_BASE_URL,
        },
      }),
    branding: {
      serviceName: e.SERVICE_NAME,
      organisationName: e.ORGANISATION_NAME,
      nhsLogo: e.HEADER_NHS_LOGO,
    },
    logLevel: e.LOG_LEVEL,
    demo: e.DEMO,
  };
}
