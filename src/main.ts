import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { systemClock } from './context.ts';
import type { Database } from './database.ts';
import type { Deps } from './deps.ts';
import { migrations } from './migrations/index.ts';
import { accountEmailTemplates, createSetupToken, setupNeeded } from './modules/accounts/index.ts';
import { reminderTemplates, startReminderRounds } from './modules/reminders/index.ts';
import { portalTemplates } from './modules/portal/index.ts';
import { openDatabase } from './platform/db/database.ts';
import { nonDurableSettings, readDurabilitySettings } from './platform/db/durability.ts';
import { startEmbeddedServer, type EmbeddedServer } from './platform/db/embedded-server.ts';
import { migrateToLatest } from './platform/db/migrator.ts';
import { createLogger, type Logger } from './platform/logging/logger.ts';
import { notifySmsTransport } from './platform/notify/notify-sms-transport.ts';
import {
  registerTemplates,
  smtpTransport,
  startOutboxWorker,
  type OutboxTransports,
  type OutboxWorker,
} from './platform/outbox/outbox.ts';
import { formatDateTime } from './platform/views/filters/format-date.ts';
import { seedDemoData } from './demo/seed-demo-data.ts';

/**
 * Writes to the terminal that started the service. Used only for the first-run setup link and the demo
 * sign-in details: they are for the person at the keyboard and must not go into the JSON log stream.
 *
 * @param lines - what to show.
 */
function tellTheOperator(lines: string[]): void {
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

async function connectionStrings(
  config: Config,
  logger: Logger,
): Promise<{ app: string; migration: string; embedded?: EmbeddedServer }> {
  if (config.database.url) {
    return { app: config.database.url, migration: config.database.migrationUrl ?? config.database.url };
  }
  const embedded = await startEmbeddedServer({
    dataDir: config.dataDir,
    log: (message) => logger.info({ embeddedDatabase: message.trim().slice(0, 500) }, 'database server'),
  });
  logger.info({ dataDir: config.dataDir }, 'embedded PostgreSQL server started on loopback');
  return { app: embedded.appUrl, migration: embedded.superuserUrl, embedded };
}

/**
 * Starts the service: configuration, database (embedded unless DATABASE_URL is set), migrations, the
 * email worker and the web server; stops them in reverse order on SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const urls = await connectionStrings(config, logger);
  const stops: (() => Promise<void>)[] = [];
  if (urls.embedded) {
    stops.push(() => urls.embedded!.stop());
  }
  try {
    const migrator = openDatabase<unknown>(urls.migration, 2, (error) =>
      logger.warn({ code: (error as { code?: string }).code }, 'database connection lost'),
    );
    try {
      await migrateToLatest(migrator.db, migrations);
      const problems = nonDurableSettings(await readDurabilitySettings(migrator.db));
      if (problems.length > 0) {
        if (config.environment === 'production') {
          throw new Error(
            `Refusing to start: the database could lose saved records (${problems.join(', ')}).`,
          );
        }
        logger.warn({ problems }, 'the database is not durable: saved records could be lost in a crash');
      }
    } finally {
      await migrator.db.destroy();
    }

    const { db } = openDatabase<Database>(urls.app, config.database.poolSize, (error) =>
      logger.warn(
        { code: (error as { code?: string }).code },
        'database connection lost; reconnecting on next use',
      ),
    );
    stops.unshift(() => db.destroy());

    // Each channel is sent when its transport is configured; a channel without one waits in the outbox.
    const transports: OutboxTransports = {
      ...(config.mail.smtpUrl && { email: smtpTransport(config.mail.smtpUrl, config.mail.from) }),
      ...(config.sms && {
        sms: notifySmsTransport({
          apiKey: config.sms.notifyApiKey,
          templateId: config.sms.templateId,
          baseUrl: config.sms.baseUrl,
        }),
      }),
    };
    let worker: OutboxWorker | undefined;
    if (transports.email || transports.sms) {
      worker = startOutboxWorker({
        db,
        transports,
        // Every module's allowlisted wordings; a module adds its own set here.
        templates: registerTemplates(
          { email: accountEmailTemplates(config.branding.serviceName) },
          reminderTemplates(),
          portalTemplates(config.branding.serviceName),
        ),
        now: () => systemClock.now(),
        onError: (error) => logger.warn({ err: error }, 'message delivery round failed'),
      });
      stops.unshift(() => worker!.stop());
    }
    if (!transports.email) {
      logger.warn(
        'SMTP_URL is not set: emails wait in the outbox, and invitation links are shown to the administrator',
      );
    }
    if (!transports.sms) {
      logger.warn('NOTIFY_API_KEY is not set: text messages wait in the outbox until it is');
    }
    const reminders = startReminderRounds({
      db,
      now: () => systemClock.now(),
      afterQueueing: () => worker?.poke(),
      publicUrl: config.publicUrl,
      onError: (error) => logger.warn({ err: error }, 'reminder round failed'),
    });
    stops.unshift(() => reminders.stop());

    const deps: Deps = {
      config,
      db,
      clock: systemClock,
      logger,
      pokeOutbox: () => worker?.poke(),
      // With texts alone configured the worker runs, but invitation emails would only wait: show the links.
      emailEnabled: transports.email !== undefined,
    };
    const app = await createApp(deps);
    stops.unshift(() => app.close());

    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        return;
      }
      stopping = true;
      logger.info({ signal }, 'stopping');
      void (async () => {
        for (const step of stops) {
          await step().catch((error: unknown) => logger.error({ err: error }, 'error while stopping'));
        }
        process.exit(0);
      })();
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));

    if (config.demo) {
      const demo = await seedDemoData(db, systemClock, config.dataDir, config.publicUrl);
      tellTheOperator(demo);
    }
    await app.listen({ port: config.port, host: config.host });
    logger.info({ port: config.port, host: config.host }, 'listening');

    if (await setupNeeded(db)) {
      const { token, expiresAt } = await createSetupToken(deps);
      tellTheOperator([
        `${config.branding.serviceName} is running, but has no administrator yet.`,
        'To set it up, open this link in your browser:',
        '',
        `  ${config.publicUrl}/setup/${token}`,
        '',
        `The link works once, until ${formatDateTime(expiresAt)}. Restart the service for a new one.`,
      ]);
    } else {
      tellTheOperator([`${config.branding.serviceName} is running at ${config.publicUrl}`]);
    }
  } catch (error) {
    for (const step of stops) {
      await step().catch(() => undefined);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
