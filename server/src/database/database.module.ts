import { Global, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { AppConfig } from '../config/app-config.provider.js';
import { Agency } from '../agencies/agency.entity.js';
import { seedDisclosures } from '../disclosures/disclosure.seed.js';
import { seedCatalogue } from '../catalogue/catalogue.seed.js';
import { seedCounty } from './seeds/county.seed.js';

export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database has ${pending.length} pending migration(s) (${pending.join(', ')}); ` +
        'this server refuses to serve an outdated schema. Run "npm run migrate" first (npm start does it for you).',
    );
    this.name = 'PendingMigrationsError';
  }
}

/**
 * Before anything serves: apply migrations when asked to (npm start), otherwise refuse a
 * database with pending ones; then seed the demo county into an empty non-production database.
 */
@Injectable()
export class SchemaGate implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const pending = await this.orm.migrator.getPending();
    if (pending.length > 0) {
      if (!this.config.migrateOnStart) throw new PendingMigrationsError(pending.map((m) => m.name));
      const applied = await this.orm.migrator.up();
      this.logger.log(`applied ${applied.length} migration(s)`);
    }
    if (this.config.seedDemo && this.config.env !== 'production') {
      const em = this.orm.em.fork();
      if ((await em.count(Agency)) === 0) {
        const summary = await seedCounty(em, (msg) => this.logger.log(msg));
        const catalogue = await seedCatalogue(em, (msg) => this.logger.log(msg));
        await seedDisclosures(em, (msg) => this.logger.log(msg));
        this.logger.log(
          `seeded the demo county: ${summary.agencies} agencies, ${summary.users} users, ${catalogue.items} items`,
        );
      }
    }
  }
}

@Global()
@Module({ providers: [SchemaGate] })
export class DatabaseModule {}
