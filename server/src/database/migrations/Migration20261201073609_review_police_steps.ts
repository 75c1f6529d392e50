import { Migration } from '@mikro-orm/migrations';

export class Migration20261201073609_review_police_steps extends Migration {

  override name = 'Migration20261201073609_review_police_steps';

  override up(): void | Promise<void> {
    this.addSql(`alter type "clock_code" add value if not exists 'police_explain' after 'rectification';`);
    this.addSql(`alter type "clock_code" add value if not exists 'police_file' after 'police_explain';`);

    this.addSql(`alter type "clock_code" add value if not exists 'police_explain' after 'rectification';`);
    this.addSql(`alter type "clock_code" add value if not exists 'police_file' after 'police_explain';`);

    this.addSql(`alter table "procuratorate_review" add "police_agency_id" uuid null, add "explanation_text" text null, add "filing_text" text null;`);
    this.addSql(`alter table "procuratorate_review" add constraint "procuratorate_review_police_agency_id_foreign" foreign key ("police_agency_id") references "agency" ("id") on delete set null;`);

    this.addSql(`alter type "clock_code" add value if not exists 'police_explain' after 'rectification';`);
    this.addSql(`alter type "clock_code" add value if not exists 'police_file' after 'police_explain';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "procuratorate_review" drop constraint "procuratorate_review_police_agency_id_foreign";`);

    this.addSql(`alter table "procuratorate_review" drop column "police_agency_id", drop column "explanation_text", drop column "filing_text";`);
  }

}
