// Migrations, applied in order and recorded in schema_migrations. Never edit a released migration:
// add a new one. The same SQL runs on PGlite and on a PostgreSQL server.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'resources, history, search index, outbox',
    sql: `
-- The current version of every resource. content is the JSON exactly as served (meta filled in),
-- so reads and searches send stored text without parsing it again. A deleted resource keeps its row.
create table resource (
  resource_type text not null,
  id text not null,
  version_id bigint not null,
  last_updated timestamptz not null,
  deleted boolean not null default false,
  content text,
  primary key (resource_type, id)
);
create index resource_type_updated on resource (resource_type, last_updated);

-- Every version ever written, deletions included (content null).
create table resource_history (
  resource_type text not null,
  id text not null,
  version_id bigint not null,
  last_updated timestamptz not null,
  deleted boolean not null,
  content text,
  primary key (resource_type, id, version_id)
);
create index resource_history_updated on resource_history (last_updated);
create index resource_history_type_updated on resource_history (resource_type, last_updated);

-- Search index: one table per parameter type, rows for the current version only.
create table sp_token (
  resource_type text not null,
  id text not null,
  code text not null,
  system text,
  value text,
  display text
);
create index sp_token_lookup on sp_token (resource_type, code, value, id);
create index sp_token_owner on sp_token (resource_type, id);

create table sp_string (
  resource_type text not null,
  id text not null,
  code text not null,
  value text not null,
  norm text not null
);
create index sp_string_lookup on sp_string (resource_type, code, norm text_pattern_ops, id);
create index sp_string_owner on sp_string (resource_type, id);

-- [lo, hi) in UTC; an open end is +/-infinity.
create table sp_date (
  resource_type text not null,
  id text not null,
  code text not null,
  lo timestamptz not null,
  hi timestamptz not null
);
create index sp_date_lo on sp_date (resource_type, code, lo);
create index sp_date_hi on sp_date (resource_type, code, hi);
create index sp_date_owner on sp_date (resource_type, id);

-- target: 'Type/id' for references to this server, the absolute URL or canonical otherwise.
create table sp_reference (
  resource_type text not null,
  id text not null,
  code text not null,
  target text not null,
  target_type text,
  target_id text
);
create index sp_reference_lookup on sp_reference (resource_type, code, target, id);
create index sp_reference_owner on sp_reference (resource_type, id);

-- Transactional outbox: written in the same transaction as the change, read by delivery workers.
create table outbox (
  seq bigserial primary key,
  resource_type text not null,
  id text not null,
  version_id bigint not null,
  action text not null,
  occurred_at timestamptz not null,
  delivered_at timestamptz
);
create index outbox_pending on outbox (seq) where delivered_at is null;
`,
  },
  {
    version: 2,
    name: 'ingest log: every inbound source message, raw, with its outcome; dead letters',
    sql: `
-- One row per delivery of a source message (POST /ingest/{source}, MLLP, samverkan ingest), kept raw.
-- status: accepted (its resources were written in the same transaction as this row), dead (refused:
-- a dead letter, to be corrected and replayed), resolved (a dead letter whose replay was accepted),
-- superseded (a dead letter whose replay was refused again: the newer row is the dead letter now).
create table ingest_message (
  id bigserial primary key,
  source text not null,
  -- Who numbered the message (the sending unit's HSA-id or kommunkod): message ids are unique per sender,
  -- not across all hospitals or kommuner using one kind of system.
  sender text,
  message_id text,
  received_at timestamptz not null,
  content_type text not null,
  -- The body as received: text, or base64 of its UTF-8 when it holds a NUL, which text cannot.
  body text not null,
  body_encoding text not null default 'text' check (body_encoding in ('text', 'base64')),
  body_sha256 text not null,
  status text not null check (status in ('accepted', 'dead', 'resolved', 'superseded')),
  http_status int not null,
  stay_key text,
  patient_key text,
  handelser jsonb,
  outcome jsonb not null,
  resources jsonb,
  replay_of bigint references ingest_message (id),
  resolved_by bigint references ingest_message (id)
);
-- Idempotency: one accepted message per (source, sender, message id).
create unique index ingest_message_accepted on ingest_message (source, sender, message_id) where status = 'accepted';
-- The händelser of a stay, read on every message to project the stay.
create index ingest_message_stay on ingest_message (stay_key) where status = 'accepted';
-- ... and of a patient across stays, for the Patient they share.
create index ingest_message_patient on ingest_message (patient_key) where status = 'accepted';
create index ingest_message_dead on ingest_message (id) where status = 'dead';
create index ingest_message_source on ingest_message (source, id);
`,
  },
  {
    version: 3,
    name: 'ingest log: discarded dead letters and erased bodies (retention)',
    sql: `
-- discarded: a dead letter that will never be replayed (a test message, one sent to the wrong place), closed
-- by a person with a reason, or by the retention purge. Its body, händelser and keys are erased; the row stays.
alter table ingest_message drop constraint ingest_message_status_check;
alter table ingest_message add constraint ingest_message_status_check
  check (status in ('accepted', 'dead', 'resolved', 'superseded', 'discarded'));
-- An erased row keeps its id, source, sender, message id, times, SHA-256 and status, but not its body.
alter table ingest_message alter column body drop not null;
alter table ingest_message add column erased_at timestamptz;
alter table ingest_message add column discarded_at timestamptz;
alter table ingest_message add column discarded_by text;
alter table ingest_message add column discard_reason text;
-- What the retention purge looks for: rows of a status received before a time whose body is still there.
create index ingest_message_unerased on ingest_message (status, received_at) where erased_at is null;
`,
  },
];
