import type { ColumnType, Generated } from 'kysely';

export type OrganisationKind = 'charity' | 'nhs_trust' | 'other';

export interface OrganisationsTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  ods_code: string | null;
  is_host: Generated<boolean>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface LocalitiesTable {
  id: string;
  organisation_id: string;
  name: string;
  created_at: ColumnType<Date, Date, never>;
}

export interface BasesTable {
  id: string;
  organisation_id: string;
  locality_id: string | null;
  name: string;
  address: string;
  postcode: string;
  created_at: ColumnType<Date, Date, never>;
}

export interface ServicesTable {
  id: string;
  name: string;
  description: Generated<string>;
  lead_organisation_id: string;
  first_contact_working_days: Generated<number>;
  /** Weeks with no contact or attendance before an active episode shows on the non-engagement worklist. */
  non_engagement_weeks: Generated<number>;
  /** Weeks after a discharge in which a re-referral reopens the person's history instead of starting over. */
  door_open_weeks: Generated<number>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface ServiceOrganisationsTable {
  service_id: string;
  organisation_id: string;
}

export interface SharingAgreementsTable {
  id: string;
  name: string;
  starts_on: string;
  ends_on: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  version: Generated<number>;
}

export interface SharingAgreementPartiesTable {
  agreement_id: string;
  organisation_id: string;
}

export interface SharingAgreementGrantsTable {
  agreement_id: string;
  organisation_id: string;
  category: string;
}

export interface OrganisationsTables {
  organisations: OrganisationsTable;
  localities: LocalitiesTable;
  bases: BasesTable;
  services: ServicesTable;
  service_organisations: ServiceOrganisationsTable;
  sharing_agreements: SharingAgreementsTable;
  sharing_agreement_parties: SharingAgreementPartiesTable;
  sharing_agreement_grants: SharingAgreementGrantsTable;
}
