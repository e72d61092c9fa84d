import LinliCore

/// The schema, migration by migration. Times are milliseconds since 1970 (BIGINT) so both
/// engines store and compare them the same way; booleans are INTEGER 0/1 for the same reason.
enum Schema {
    static let migrations: [Migration] = [
        Migration(version: 1, name: "places") { sql in
            [
                """
                CREATE TABLE places (
                    id \(sql.id),
                    parent_id BIGINT REFERENCES places(id),
                    level TEXT NOT NULL,
                    name TEXT NOT NULL,
                    code TEXT,
                    path \(sql.byteText) NOT NULL UNIQUE,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX places_parent ON places (parent_id, name)",
                """
                CREATE TABLE households (
                    id BIGINT PRIMARY KEY REFERENCES places(id),
                    building_id BIGINT NOT NULL REFERENCES places(id),
                    room TEXT NOT NULL,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT,
                    code_hash TEXT,
                    code_rotated_at BIGINT
                )
                """,
                "CREATE UNIQUE INDEX households_building_room ON households (building_id, room)",
                "CREATE INDEX households_path ON households (path)",
                """
                CREATE TABLE residents (
                    id \(sql.id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    name \(sql.byteText) NOT NULL,
                    phone TEXT,
                    phone_tail TEXT,
                    birth_year INTEGER,
                    gender TEXT,
                    note TEXT,
                    health_note TEXT,
                    disability_note TEXT,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX residents_household ON residents (household_id)",
                // Search by name or by the last four digits of a phone, inside a scope (path range).
                "CREATE INDEX residents_name ON residents (name, path)",
                "CREATE INDEX residents_phone_tail ON residents (phone_tail, path)",
            ]
        },
        Migration(version: 2, name: "volunteers and teams") { sql in
            [
                """
                CREATE TABLE volunteers (
                    id \(sql.id),
                    name TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    force_type TEXT NOT NULL,
                    skills TEXT NOT NULL,
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT,
                    resident_id BIGINT REFERENCES residents(id)
                )
                """,
                "CREATE INDEX volunteers_path ON volunteers (path)",
                """
                CREATE TABLE teams (
                    id \(sql.id),
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX teams_path ON teams (path)",
                """
                CREATE TABLE team_members (
                    team_id BIGINT NOT NULL REFERENCES teams(id),
                    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
                    PRIMARY KEY (team_id, volunteer_id)
                )
                """,
            ]
        },
        Migration(version: 3, name: "users, roles, sessions, audit") { sql in
            [
                """
                CREATE TABLE users (
                    id \(sql.id),
                    phone TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE role_assignments (
                    id \(sql.id),
                    user_id BIGINT NOT NULL REFERENCES users(id),
                    role TEXT NOT NULL,
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    path \(sql.byteText) NOT NULL,
                    UNIQUE (user_id, role, place_id)
                )
                """,
                """
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    user_id BIGINT REFERENCES users(id),
                    household_id BIGINT REFERENCES households(id),
                    csrf_token TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX sessions_user ON sessions (user_id)",
                """
                CREATE TABLE audit_log (
                    id \(sql.id),
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entity_id TEXT,
                    path \(sql.byteText),
                    before_json TEXT,
                    after_json TEXT,
                    request_id TEXT
                )
                """,
                "CREATE INDEX audit_log_entity ON audit_log (entity, entity_id)",
                "CREATE INDEX audit_log_at ON audit_log (at)",
            ]
        },
        Migration(version: 4, name: "household search indexes") { _ in
            [
                // Room searches ("every 1502") and building + room, in path order within a scope.
                "CREATE INDEX households_room ON households (room, path)",
                // "Does this household have a 王秀…?" answered from the index alone; it also serves
                // every lookup by household, so the single-column index goes.
                "CREATE INDEX residents_household_name ON residents (household_id, name)",
                "DROP INDEX residents_household",
            ]
        },
        Migration(version: 5, name: "jobs") { sql in
            [
                // Work that outlives a request: deadlines, escalations, deliveries. They are rows
                // here, not timers in memory, so a restart loses none. A worker leases a job; an
                // expired lease lets another worker take it over, so a crash loses no job and two
                // nodes never run one job at the same time.
                """
                CREATE TABLE jobs (
                    id \(sql.id),
                    kind TEXT NOT NULL,
                    dedupe_key TEXT UNIQUE,
                    payload TEXT NOT NULL,
                    run_at BIGINT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    lease_owner TEXT,
                    lease_until BIGINT,
                    last_error TEXT,
                    done_at BIGINT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX jobs_due ON jobs (run_at, id) WHERE done_at IS NULL",
            ]
        },
        Migration(version: 6, name: "requests") { sql in
            [
                // A household's need tracked to done by a named owner. `version` grows with every
                // change, so two people acting at once cannot both win: the second update finds a
                // newer version and changes nothing.
                """
                CREATE TABLE requests (
                    id \(sql.id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    resident_id BIGINT REFERENCES residents(id),
                    category TEXT NOT NULL,
                    urgency TEXT NOT NULL,
                    description TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    filed_by TEXT NOT NULL,
                    owner_user_id BIGINT REFERENCES users(id),
                    owner_place_id BIGINT REFERENCES places(id),
                    status TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    reopened_at BIGINT,
                    accept_by BIGINT NOT NULL,
                    done_by BIGINT NOT NULL,
                    escalation_level INTEGER NOT NULL DEFAULT 0,
                    closed_at BIGINT,
                    closing_reason TEXT,
                    version INTEGER NOT NULL DEFAULT 1,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX requests_path ON requests (path, status)",
                "CREATE INDEX requests_owner_user ON requests (owner_user_id, status, accept_by)",
                "CREATE INDEX requests_owner_place ON requests (owner_place_id, status, accept_by)",
                "CREATE INDEX requests_household ON requests (household_id, category, status)",
                // One open request per household and kind: a second is offered for merging, and
                // two sent at the same moment cannot both get in.
                "CREATE UNIQUE INDEX requests_one_open_per_kind ON requests (household_id, category) WHERE status IN ('new', 'accepted', 'in_progress')",
                """
                CREATE TABLE request_transitions (
                    id \(sql.id),
                    request_id BIGINT NOT NULL REFERENCES requests(id),
                    kind TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    at BIGINT NOT NULL,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    note TEXT
                )
                """,
                "CREATE INDEX request_transitions_request ON request_transitions (request_id, id)",
                // A form re-sent over a flaky phone network carries the same key and finds the
                // request the first send created.
                """
                CREATE TABLE idempotency_keys (
                    scope TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    request_id BIGINT NOT NULL REFERENCES requests(id),
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (scope, idempotency_key)
                )
                """,
            ]
        },
        Migration(version: 7, name: "notifications") { sql in
            [
                // Group robots (WeCom, DingTalk, Feishu) and signed webhooks that hear about the
                // requests of households under their place.
                """
                CREATE TABLE webhook_targets (
                    id \(sql.id),
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    kind TEXT NOT NULL,
                    url TEXT NOT NULL,
                    secret TEXT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX webhook_targets_place ON webhook_targets (place_id)",
                // The outbox: written in the transaction of the change it reports, delivered by a
                // job, kept as a dead letter for admins when it cannot be delivered.
                """
                CREATE TABLE notifications (
                    id \(sql.id),
                    target_id BIGINT NOT NULL REFERENCES webhook_targets(id),
                    message TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    created_at BIGINT NOT NULL,
                    delivered_at BIGINT
                )
                """,
                "CREATE INDEX notifications_status ON notifications (status, id)",
            ]
        },
        Migration(version: 8, name: "request policies, delivery pacing") { sql in
            [
                // A district's own deadlines and routing rules, as JSON the core decodes.
                """
                CREATE TABLE request_policies (
                    district_id BIGINT PRIMARY KEY REFERENCES places(id),
                    deadlines TEXT NOT NULL,
                    routing_rules TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    updated_by TEXT NOT NULL
                )
                """,
                // When a target was last sent to, so deliveries keep to its platform's pace.
                "ALTER TABLE notifications ADD COLUMN last_attempt_at BIGINT",
                "CREATE INDEX notifications_target_attempts ON notifications (target_id, last_attempt_at)",
            ]
        },
        Migration(version: 9, name: "intake indexes") { _ in
            [
                // Routing looks up who holds a role at the places above a household: without this,
                // every filing read every role assignment of the deployment.
                "CREATE INDEX role_assignments_place ON role_assignments (place_id, role)",
                // Every filing writes a page of each request index, at a random place, inside the
                // commit everyone waits on: five indexes were two more than the queries need. A
                // person's queue and a duty team's are one index (the team's requests have no
                // person); a household's requests are found by its path, and its open ones by the
                // unique index.
                "DROP INDEX requests_household",
                "DROP INDEX requests_owner_user",
                "DROP INDEX requests_owner_place",
                "CREATE INDEX requests_owner ON requests (owner_user_id, owner_place_id, status)",
            ]
        },
        Migration(version: householdCodesKeyed, name: "household codes keyed") { _ in
            [
                // The fingerprint of the key the codes are keyed with (see `HouseholdCodeKey`),
                // so a node or a restore started with another key is refused.
                "CREATE TABLE household_code_key (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL)",
            ]
        } rewrite: { context, db in
            // Codes were stored as a plain SHA-256, which a copy of the database gives up offline.
            // Keying that hash, HMAC(key, sha256(code)), needs none of the codes themselves, so every
            // printed door notice keeps working.
            var last: PlaceID = 0
            var key: HouseholdCodeKey?
            while true {
                let rows = try await db.raw("""
                    SELECT id, code_hash FROM households WHERE code_hash IS NOT NULL AND id > \(bind: last) ORDER BY id LIMIT 10000
                    """).all()
                guard let lastRow = rows.last else { break }
                guard let codeKey = context.householdCodeKey else { throw HouseholdCodeKeyError.neededToKeyCodes }
                key = codeKey
                for row in rows {
                    let id = try row.decode(column: "id", as: PlaceID.self)
                    let plain = try row.decode(column: "code_hash", as: String.self)
                    try await db.raw("UPDATE households SET code_hash = \(bind: codeKey.digest(sha256Hex: plain)) WHERE id = \(bind: id)").run()
                }
                last = try lastRow.decode(column: "id", as: PlaceID.self)
            }
            if let key { _ = try await HouseholdCodeKeyRecords.adopt(key, on: db) }
        },
        Migration(version: 11, name: "guess counters, session expiry") { _ in
            [
                // Wrong passwords and household codes, counted per address, per target and per
                // pair, in the database so that every node sees the same counts and a restart
                // forgets none (see `GuessRecords`).
                """
                CREATE TABLE guess_counters (
                    counter TEXT PRIMARY KEY,
                    attempts INTEGER NOT NULL,
                    last_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX guess_counters_expires ON guess_counters (expires_at)",
                // The purge job deletes expired sessions by this.
                "CREATE INDEX sessions_expires ON sessions (expires_at)",
            ]
        },
        Migration(version: 12, name: "care") { sql in
            [
                // The care register: one row per vulnerable resident. Every column but the ids and
                // the path is sensitive (read with view_sensitive or as the paired helper, audited).
                // Lists are comma-separated raw values. `version` guards concurrent edits.
                """
                CREATE TABLE care_entries (
                    id \(sql.id),
                    resident_id BIGINT NOT NULL UNIQUE REFERENCES residents(id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    categories TEXT NOT NULL,
                    disability_kind TEXT,
                    needs TEXT NOT NULL,
                    risk TEXT NOT NULL,
                    source TEXT NOT NULL,
                    consent_note TEXT,
                    note TEXT,
                    last_contact_at BIGINT,
                    pinned_helper_id BIGINT REFERENCES volunteers(id),
                    primary_helper_id BIGINT REFERENCES volunteers(id),
                    backup_helper_id BIGINT REFERENCES volunteers(id),
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL DEFAULT 1
                )
                """,
                "CREATE INDEX care_entries_path ON care_entries (path)",
                "CREATE INDEX care_entries_household ON care_entries (household_id)",
                "CREATE INDEX care_entries_primary ON care_entries (primary_helper_id)",
                "CREATE INDEX care_entries_backup ON care_entries (backup_helper_id)",
                // Helpers are volunteers. Where they live decides the distance to the people they
                // help (a volunteer who is a resident lives at their household; the others count
                // as living at the place they reported to), and they log in with their phone.
                "ALTER TABLE volunteers ADD COLUMN availability TEXT NOT NULL DEFAULT 'available'",
                "ALTER TABLE volunteers ADD COLUMN care_capacity INTEGER",
                "CREATE INDEX volunteers_phone ON volunteers (phone)",
                // A building's position on its compound's plan, in whole metres, for the distance
                // between buildings.
                "ALTER TABLE places ADD COLUMN plan_x INTEGER",
                "ALTER TABLE places ADD COLUMN plan_y INTEGER",
                """
                CREATE TABLE survey_campaigns (
                    id \(sql.id),
                    name TEXT NOT NULL,
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT,
                    starts_at BIGINT NOT NULL,
                    ends_at BIGINT NOT NULL,
                    closed_at BIGINT,
                    closed_reason TEXT,
                    created_by BIGINT NOT NULL REFERENCES users(id),
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX survey_campaigns_path ON survey_campaigns (path)",
                // A household without a row has not been surveyed yet; rows appear as the
                // surveyors go, so a campaign over 11,000 households costs nothing to open.
                """
                CREATE TABLE survey_visits (
                    campaign_id BIGINT NOT NULL REFERENCES survey_campaigns(id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    building_id BIGINT NOT NULL REFERENCES places(id),
                    status TEXT NOT NULL,
                    note TEXT,
                    surveyor_user_id BIGINT REFERENCES users(id),
                    updated_at BIGINT NOT NULL,
                    idempotency_key TEXT,
                    PRIMARY KEY (campaign_id, household_id)
                )
                """,
                "CREATE INDEX survey_visits_building ON survey_visits (campaign_id, building_id, status)",
                "CREATE INDEX survey_visits_surveyor ON survey_visits (campaign_id, surveyor_user_id)",
                """
                CREATE TABLE care_plan_items (
                    id \(sql.id),
                    entry_id BIGINT NOT NULL REFERENCES care_entries(id),
                    kind TEXT NOT NULL,
                    label TEXT,
                    weekdays TEXT NOT NULL,
                    due_minute INTEGER NOT NULL,
                    on_day TEXT,
                    active INTEGER NOT NULL DEFAULT 1,
                    path \(sql.byteText) NOT NULL
                )
                """,
                "CREATE INDEX care_plan_items_entry ON care_plan_items (entry_id)",
                // One row per due occurrence, made ahead of time by a job; the unique key makes
                // making them again harmless.
                """
                CREATE TABLE care_checkins (
                    id \(sql.id),
                    item_id BIGINT NOT NULL REFERENCES care_plan_items(id),
                    entry_id BIGINT NOT NULL REFERENCES care_entries(id),
                    due_at BIGINT NOT NULL,
                    done_at BIGINT,
                    done_by TEXT,
                    note TEXT,
                    escalation_level INTEGER NOT NULL DEFAULT 0,
                    path \(sql.byteText) NOT NULL,
                    UNIQUE (item_id, due_at)
                )
                """,
                "CREATE INDEX care_checkins_entry ON care_checkins (entry_id, due_at)",
                "CREATE INDEX care_checkins_open ON care_checkins (due_at) WHERE done_at IS NULL",
            ]
        },
        Migration(version: 13, name: "survey visit history") { sql in
            [
                // Every visit recorded, not only the latest: a household found nobody home and then
                // visited again shows both. The key a form carried makes a replay of the same
                // submission (a phone coming back into signal) find its row instead of adding one.
                """
                CREATE TABLE survey_visit_history (
                    id \(sql.id),
                    campaign_id BIGINT NOT NULL REFERENCES survey_campaigns(id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    status TEXT NOT NULL,
                    note TEXT,
                    surveyor_user_id BIGINT REFERENCES users(id),
                    at BIGINT NOT NULL,
                    idempotency_key TEXT
                )
                """,
                "CREATE INDEX survey_visit_history_household ON survey_visit_history (campaign_id, household_id, id)",
                "CREATE UNIQUE INDEX survey_visit_history_key ON survey_visit_history (campaign_id, idempotency_key)",
            ]
        },
        Migration(version: 14, name: "medicine runs") { sql in
            [
                // A medicine team's nightly cut-off, in minutes after local midnight (nil: 20:00).
                "ALTER TABLE teams ADD COLUMN medicine_cutoff_minute INTEGER",
                // What a medicine request needs beyond its text: the team that runs it, the queue
                // (nightly batch or same-day), the batch it went into, the visit-record check and
                // the money. Money is in fen (0.01 yuan), bounded where it enters.
                // `follow_up_of` links a follow-up to the request whose item fell short.
                """
                CREATE TABLE medicine_requests (
                    request_id BIGINT PRIMARY KEY REFERENCES requests(id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    team_id BIGINT REFERENCES teams(id),
                    queue TEXT NOT NULL,
                    batch_id BIGINT,
                    follow_up_of BIGINT REFERENCES requests(id),
                    verified_by BIGINT REFERENCES users(id),
                    verified_at BIGINT,
                    cash_advanced INTEGER NOT NULL DEFAULT 0,
                    cash_spent INTEGER,
                    change_returned INTEGER,
                    money_note TEXT,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX medicine_requests_team ON medicine_requests (team_id, batch_id, queue)",
                "CREATE INDEX medicine_requests_batch ON medicine_requests (batch_id)",
                "CREATE INDEX medicine_requests_path ON medicine_requests (path)",
                // One line of a medicine request: a drug, where to get it and what came of it.
                // `hospital` and `window` are as typed (trimmed); the per-hospital list groups on them.
                """
                CREATE TABLE medicine_items (
                    id \(sql.id),
                    request_id BIGINT NOT NULL REFERENCES requests(id),
                    drug TEXT NOT NULL,
                    maker TEXT,
                    specification TEXT,
                    quantity INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    source TEXT NOT NULL,
                    hospital TEXT NOT NULL,
                    hospital_window TEXT NOT NULL DEFAULT '',
                    cold_chain INTEGER NOT NULL DEFAULT 0,
                    box_photo TEXT,
                    outcome TEXT,
                    quantity_bought INTEGER,
                    outcome_note TEXT,
                    outcome_at BIGINT,
                    outcome_by BIGINT REFERENCES users(id)
                )
                """,
                "CREATE INDEX medicine_items_request ON medicine_items (request_id, id)",
                // A team's batch for one night (`kind` nightly) or a same-day run (`kind` same_day).
                // The unique key makes the cut-off job safe to run twice.
                """
                CREATE TABLE medicine_batches (
                    id \(sql.id),
                    team_id BIGINT NOT NULL REFERENCES teams(id),
                    kind TEXT NOT NULL,
                    night TEXT NOT NULL,
                    status TEXT NOT NULL,
                    formed_at BIGINT NOT NULL,
                    closed_at BIGINT,
                    closed_by BIGINT REFERENCES users(id),
                    money_explanation TEXT,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT,
                    UNIQUE (team_id, night, kind)
                )
                """,
                "CREATE INDEX medicine_batches_path ON medicine_batches (path, status)",
                // Who runs to which hospital for a batch.
                """
                CREATE TABLE medicine_runners (
                    batch_id BIGINT NOT NULL REFERENCES medicine_batches(id),
                    hospital TEXT NOT NULL,
                    runner_user_id BIGINT NOT NULL REFERENCES users(id),
                    assigned_at BIGINT NOT NULL,
                    PRIMARY KEY (batch_id, hospital)
                )
                """,
                // An insurance card or record booklet and where it is now. `state` and `holder`
                // are the latest custody entry's, kept here so "cards out" is one indexed query;
                // the chain below is the proof. The full number is sensitive: shown masked except
                // to the runner holding it, every full read audited.
                """
                CREATE TABLE medicine_cards (
                    id \(sql.id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    resident_id BIGINT REFERENCES residents(id),
                    kind TEXT NOT NULL,
                    card_number TEXT NOT NULL,
                    request_id BIGINT REFERENCES requests(id),
                    batch_id BIGINT REFERENCES medicine_batches(id),
                    state TEXT NOT NULL,
                    holder_user_id BIGINT REFERENCES users(id),
                    since BIGINT NOT NULL,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX medicine_cards_household ON medicine_cards (household_id)",
                "CREATE INDEX medicine_cards_batch ON medicine_cards (batch_id, state)",
                "CREATE INDEX medicine_cards_holder ON medicine_cards (holder_user_id, state)",
                // Append-only custody entries, one hash chain per district (`chain`). Each entry's
                // `hash` covers its own fields and `prev_hash`; `seq` numbers the chain from 1 with
                // no gap, so a deleted entry shows as a gap or a broken link.
                """
                CREATE TABLE card_custody (
                    id \(sql.id),
                    chain TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    card_id BIGINT NOT NULL REFERENCES medicine_cards(id),
                    event TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    holder_user_id BIGINT,
                    confirmed_by TEXT,
                    batch_id BIGINT,
                    at BIGINT NOT NULL,
                    note TEXT,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    UNIQUE (chain, seq)
                )
                """,
                "CREATE INDEX card_custody_card ON card_custody (card_id, seq)",
                // The head of every hash chain (card custody, later the relief ledger): its last
                // sequence number and hash, written in the same transaction as the entry. Deleting
                // the newest entries of a chain leaves the head pointing past them.
                """
                CREATE TABLE hash_chain_heads (
                    chain TEXT PRIMARY KEY,
                    seq BIGINT NOT NULL,
                    hash TEXT NOT NULL
                )
                """,
            ]
        },
        Migration(version: 15, name: "group buys") { sql in
            [
                // Suppliers a committee or sub-district lets deliver under its place. A buy may use
                // one only while `approved_until` lies ahead.
                """
                CREATE TABLE suppliers (
                    id \(sql.id),
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    name TEXT NOT NULL,
                    contact TEXT,
                    licence_number TEXT NOT NULL,
                    delivery_pass TEXT,
                    driver_test_day TEXT,
                    approved_until BIGINT,
                    approved_by BIGINT REFERENCES users(id),
                    created_by BIGINT REFERENCES users(id),
                    created_at BIGINT NOT NULL,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX suppliers_path ON suppliers (path)",
                // A group buy at a compound or building. `leader_basis` says why its leader may lead
                // it: `resident` (lives under the place) or `proxy` (named by `proxy_named_by`).
                """
                CREATE TABLE group_buys (
                    id \(sql.id),
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    supplier_id BIGINT NOT NULL REFERENCES suppliers(id),
                    leader_user_id BIGINT NOT NULL REFERENCES users(id),
                    leader_basis TEXT NOT NULL,
                    proxy_named_by BIGINT REFERENCES users(id),
                    title TEXT NOT NULL,
                    delivery_plan TEXT,
                    opens_at BIGINT,
                    closes_at BIGINT,
                    state TEXT NOT NULL,
                    state_at BIGINT NOT NULL,
                    joined_to BIGINT REFERENCES group_buys(id),
                    approved_by BIGINT REFERENCES users(id),
                    created_at BIGINT NOT NULL,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX group_buys_path ON group_buys (path, state)",
                """
                CREATE TABLE group_buy_items (
                    id \(sql.id),
                    buy_id BIGINT NOT NULL REFERENCES group_buys(id),
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    specification TEXT,
                    unit TEXT NOT NULL,
                    price_fen INTEGER NOT NULL,
                    minimum_quantity INTEGER NOT NULL,
                    maximum_quantity INTEGER,
                    arrived INTEGER
                )
                """,
                "CREATE INDEX group_buy_items_buy ON group_buy_items (buy_id, position)",
                // One household's order of one item. Ordering again (or importing the same sheet
                // again) sets the quantity, so a re-import changes nothing.
                """
                CREATE TABLE group_buy_orders (
                    id \(sql.id),
                    buy_id BIGINT NOT NULL REFERENCES group_buys(id),
                    item_id BIGINT NOT NULL REFERENCES group_buy_items(id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    quantity INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    follow_number TEXT,
                    note TEXT,
                    entered_by BIGINT REFERENCES users(id),
                    ordered_at BIGINT NOT NULL,
                    allocated INTEGER,
                    refund_fen BIGINT NOT NULL DEFAULT 0,
                    problem TEXT,
                    problem_refund_fen BIGINT NOT NULL DEFAULT 0,
                    delivered_at BIGINT,
                    delivered_by BIGINT REFERENCES users(id),
                    delivery_confirmed_by TEXT,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT,
                    UNIQUE (buy_id, item_id, household_id)
                )
                """,
                "CREATE INDEX group_buy_orders_buy ON group_buy_orders (buy_id, path)",
                "CREATE INDEX group_buy_orders_household ON group_buy_orders (household_id)",
                // The sold-out check sums an item's orders inside every order's transaction, on
                // the one writer. Without an index led by the item that sum read every order of
                // every buy, so each order cost more than the one before; with the quantity in
                // it, the sum reads the item's index entries and no table rows.
                "CREATE INDEX group_buy_orders_item ON group_buy_orders (item_id, quantity)",
                // Imported or pasted lines that matched no household or item: kept for a person to
                // fix (`resolution` ordered) or set aside with a reason (`resolution` dismissed).
                """
                CREATE TABLE group_buy_unmatched (
                    id \(sql.id),
                    buy_id BIGINT NOT NULL REFERENCES group_buys(id),
                    source TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    problem TEXT NOT NULL,
                    quantity INTEGER,
                    item_text TEXT,
                    created_at BIGINT NOT NULL,
                    resolution TEXT,
                    resolved_by BIGINT REFERENCES users(id),
                    resolved_at BIGINT,
                    reason TEXT
                )
                """,
                "CREATE INDEX group_buy_unmatched_buy ON group_buy_unmatched (buy_id, resolution)",
            ]
        },
        Migration(version: 16, name: "relief supplies") { sql in
            [
                // A batch received at a place: relief packages, a purchase or a donation. The
                // counters are the ledger's sums kept beside the batch, so refusing a hand-out
                // beyond stock reads one locked row; the ledger below is the proof.
                // `contents` is JSON lines ({item, quantity, unit}); `expiry` a yyyy-MM-dd day.
                """
                CREATE TABLE supply_batches (
                    id \(sql.id),
                    kind TEXT NOT NULL,
                    source TEXT NOT NULL,
                    supplier TEXT,
                    lot TEXT,
                    contents TEXT NOT NULL,
                    licences TEXT,
                    expiry TEXT,
                    unit TEXT NOT NULL,
                    received INTEGER NOT NULL,
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    allocation TEXT NOT NULL,
                    received_by BIGINT NOT NULL REFERENCES users(id),
                    received_at BIGINT NOT NULL,
                    handed_out INTEGER NOT NULL DEFAULT 0,
                    written_off INTEGER NOT NULL DEFAULT 0,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX supply_batches_path ON supply_batches (path, kind)",
                "CREATE INDEX supply_batches_place ON supply_batches (place_id)",
                "CREATE INDEX supply_batches_lot ON supply_batches (lot)",
                // One hand-out a household a batch: the unique key refuses a second one even when
                // two leaders tick the same door at once.
                """
                CREATE TABLE supply_handouts (
                    id \(sql.id),
                    batch_id BIGINT NOT NULL REFERENCES supply_batches(id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    quantity INTEGER NOT NULL,
                    confirmed_by TEXT NOT NULL,
                    handed_by BIGINT NOT NULL REFERENCES users(id),
                    at BIGINT NOT NULL,
                    note TEXT,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT,
                    UNIQUE (batch_id, household_id)
                )
                """,
                "CREATE INDEX supply_handouts_household ON supply_handouts (household_id)",
                "CREATE INDEX supply_handouts_path ON supply_handouts (batch_id, path)",
                // The mutual-aid shelf (互助架): what a neighbour left and who took it.
                """
                CREATE TABLE shelf_items (
                    id \(sql.id),
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    item TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    note TEXT,
                    offered_by TEXT NOT NULL,
                    offered_at BIGINT NOT NULL,
                    taken_by TEXT,
                    taken_at BIGINT,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX shelf_items_path ON shelf_items (path, taken_at)",
                // The supplies ledger: every receipt, allocation, hand-out, write-off and shelf
                // offer or take, one hash chain per district (`supplies/<district_id>`), as
                // card_custody.
                """
                CREATE TABLE supply_ledger (
                    id \(sql.id),
                    chain TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    event TEXT NOT NULL,
                    batch_id BIGINT,
                    household_id BIGINT,
                    shelf_item_id BIGINT,
                    quantity INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    confirmed_by TEXT,
                    at BIGINT NOT NULL,
                    note TEXT,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    UNIQUE (chain, seq)
                )
                """,
                "CREATE INDEX supply_ledger_batch ON supply_ledger (batch_id, event)",
            ]
        },
        Migration(version: 17, name: "rumours") { sql in
            [
                // Residents' chat groups, each with the officer who watches it and a backup; the
                // robot (a webhook target) of a group that has one hears corrections.
                """
                CREATE TABLE chat_groups (
                    id \(sql.id),
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    name TEXT NOT NULL,
                    platform TEXT NOT NULL,
                    officer_user_id BIGINT REFERENCES users(id),
                    backup_user_id BIGINT REFERENCES users(id),
                    target_id BIGINT REFERENCES webhook_targets(id),
                    created_at BIGINT NOT NULL,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX chat_groups_path ON chat_groups (path)",
                // A claim going round, with its reports attached. `owner_place_id` climbs the place
                // tree as the two-hour clock escalates it.
                """
                CREATE TABLE rumours (
                    id \(sql.id),
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    claim TEXT NOT NULL,
                    status TEXT NOT NULL,
                    first_reported_at BIGINT NOT NULL,
                    escalation_level INTEGER NOT NULL DEFAULT 0,
                    owner_place_id BIGINT NOT NULL REFERENCES places(id),
                    verdict_note TEXT,
                    verdict_at BIGINT,
                    verdict_by BIGINT REFERENCES users(id),
                    corrected_at BIGINT,
                    report_count INTEGER NOT NULL DEFAULT 1,
                    merged_into BIGINT REFERENCES rumours(id),
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX rumours_path ON rumours (path, status)",
                "CREATE INDEX rumours_district ON rumours (district_id, status)",
                // Every sighting. `normalized_hash` finds identical texts in the database itself;
                // the texts feed the matcher's index, caught up by id.
                """
                CREATE TABLE rumour_reports (
                    id \(sql.id),
                    rumour_id BIGINT NOT NULL REFERENCES rumours(id),
                    text TEXT NOT NULL,
                    link TEXT,
                    normalized_hash TEXT NOT NULL,
                    chat_group_id BIGINT REFERENCES chat_groups(id),
                    seen_place_id BIGINT NOT NULL REFERENCES places(id),
                    seen_at BIGINT NOT NULL,
                    reported_by BIGINT NOT NULL REFERENCES users(id),
                    reported_at BIGINT NOT NULL,
                    match_kind TEXT NOT NULL,
                    score_permille INTEGER,
                    suggested_rumour_id BIGINT REFERENCES rumours(id),
                    image_file TEXT,
                    image_type TEXT,
                    told_at BIGINT,
                    told_text TEXT,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX rumour_reports_rumour ON rumour_reports (rumour_id, id)",
                "CREATE INDEX rumour_reports_district ON rumour_reports (district_id, id)",
                "CREATE INDEX rumour_reports_reporter ON rumour_reports (reported_by, id)",
                """
                CREATE TABLE rumour_evidence (
                    id \(sql.id),
                    rumour_id BIGINT NOT NULL REFERENCES rumours(id),
                    kind TEXT NOT NULL,
                    text TEXT NOT NULL,
                    url TEXT,
                    added_by BIGINT NOT NULL REFERENCES users(id),
                    added_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX rumour_evidence_rumour ON rumour_evidence (rumour_id, id)",
                // Drafted, approved by someone else, published (a public page and the robots),
                // retracted with a reason: a retraction is pushed as loudly as the correction.
                """
                CREATE TABLE rumour_corrections (
                    id \(sql.id),
                    rumour_id BIGINT NOT NULL REFERENCES rumours(id),
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    source TEXT NOT NULL,
                    status TEXT NOT NULL,
                    drafted_by BIGINT NOT NULL REFERENCES users(id),
                    drafted_at BIGINT NOT NULL,
                    approved_by BIGINT REFERENCES users(id),
                    published_at BIGINT,
                    retracted_at BIGINT,
                    retraction_reason TEXT,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX rumour_corrections_rumour ON rumour_corrections (rumour_id)",
                "CREATE INDEX rumour_corrections_district ON rumour_corrections (district_id, id)",
            ]
        },
        Migration(version: 18, name: "answers and notices") { sql in
            var statements = [
                // The answers library. `search_text` is the question, answer and source as they
                // are searched (normalised, traditional characters folded: `AnswerSearch`).
                """
                CREATE TABLE answers (
                    id \(sql.id),
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    question TEXT NOT NULL,
                    body TEXT NOT NULL,
                    source TEXT NOT NULL,
                    source_link TEXT,
                    valid_from BIGINT,
                    valid_until BIGINT,
                    state TEXT NOT NULL,
                    search_text TEXT NOT NULL,
                    created_by BIGINT NOT NULL REFERENCES users(id),
                    created_at BIGINT NOT NULL,
                    updated_by BIGINT NOT NULL REFERENCES users(id),
                    updated_at BIGINT NOT NULL,
                    published_by BIGINT REFERENCES users(id),
                    published_at BIGINT,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX answers_path ON answers (path, state)",
                """
                CREATE TABLE notices (
                    id \(sql.id),
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    source TEXT NOT NULL,
                    published_by BIGINT NOT NULL REFERENCES users(id),
                    published_at BIGINT NOT NULL,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                "CREATE INDEX notices_path ON notices (path, published_at)",
                // One row a household a notice: confirming twice keeps the first time.
                """
                CREATE TABLE notice_reads (
                    notice_id BIGINT NOT NULL REFERENCES notices(id),
                    household_id BIGINT NOT NULL REFERENCES households(id),
                    read_at BIGINT NOT NULL,
                    PRIMARY KEY (notice_id, household_id)
                )
                """,
                "CREATE INDEX notice_reads_household ON notice_reads (household_id)",
            ]
            // Trigram indexes over `search_text`, so a search does not read the whole library.
            switch sql.engine {
            case .sqlite:
                // Kept by `AnswerRecords` beside `answers`, its rowid the answer's id.
                statements.append("CREATE VIRTUAL TABLE answers_search USING fts5(search_text, tokenize = 'trigram')")
            case .postgres:
                // pg_trgm is created once per database, in `public` unless it is there already;
                // the operator class is named with its schema, so a deployment (or a test) in
                // another schema finds it. The lock keeps two schemas migrating at once from
                // creating it twice.
                statements.append("""
                    DO $$
                    DECLARE home TEXT;
                    BEGIN
                        PERFORM pg_advisory_xact_lock(7600018);
                        IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                            CREATE EXTENSION pg_trgm SCHEMA public;
                        END IF;
                        SELECT n.nspname INTO home FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
                        EXECUTE format('CREATE INDEX answers_search ON answers USING gin (search_text %I.gin_trgm_ops)', home);
                    END
                    $$
                    """)
            }
            return statements
        },
        Migration(version: 19, name: "briefings") { sql in
            [
                // A place's daily briefing: `figures` is the JSON of what the data said when it
                // was drafted, so the charts stay as approved; `text` is what staff edited.
                """
                CREATE TABLE briefings (
                    id \(sql.id),
                    place_id BIGINT NOT NULL REFERENCES places(id),
                    day TEXT NOT NULL,
                    state TEXT NOT NULL,
                    text TEXT NOT NULL,
                    figures TEXT NOT NULL,
                    drafted_at BIGINT NOT NULL,
                    edited_by BIGINT REFERENCES users(id),
                    edited_at BIGINT,
                    published_by BIGINT REFERENCES users(id),
                    published_at BIGINT,
                    path \(sql.byteText) NOT NULL,
                    district_id BIGINT
                )
                """,
                // One briefing a place a day: the morning job and a person drafting at once make one.
                "CREATE UNIQUE INDEX briefings_place_day ON briefings (place_id, day)",
                "CREATE INDEX briefings_path ON briefings (path, day)",
                // A briefing counts a compound's households handed relief that day: by household,
                // not by reading a district's whole ledger once for every compound.
                "CREATE INDEX supply_ledger_household ON supply_ledger (household_id, event, at)",
            ]
        },
        Migration(version: 20, name: "group buy items keep their ordered total") { sql in
            var statements = [
                // How much of the item every household has ordered together. The sold-out check
                // reads it inside each order's transaction instead of summing the item's orders,
                // which cost more with every order the buy took.
                "ALTER TABLE group_buy_items ADD COLUMN ordered INTEGER NOT NULL DEFAULT 0",
                "UPDATE group_buy_items SET ordered = (SELECT COALESCE(SUM(o.quantity), 0) FROM group_buy_orders o WHERE o.item_id = group_buy_items.id)",
            ]
            // Kept by the database beside every change of an order's quantity or item, in the
            // same transaction: ordering, imports, fixed lines, joining buys and any later writer
            // of orders keep the total right without having to remember to.
            switch sql.engine {
            case .sqlite:
                statements += [
                    """
                    CREATE TRIGGER group_buy_orders_count_insert AFTER INSERT ON group_buy_orders BEGIN
                        UPDATE group_buy_items SET ordered = ordered + NEW.quantity WHERE id = NEW.item_id;
                    END
                    """,
                    """
                    CREATE TRIGGER group_buy_orders_count_delete AFTER DELETE ON group_buy_orders BEGIN
                        UPDATE group_buy_items SET ordered = ordered - OLD.quantity WHERE id = OLD.item_id;
                    END
                    """,
                    """
                    CREATE TRIGGER group_buy_orders_count_update AFTER UPDATE OF quantity, item_id ON group_buy_orders BEGIN
                        UPDATE group_buy_items SET ordered = ordered - OLD.quantity WHERE id = OLD.item_id;
                        UPDATE group_buy_items SET ordered = ordered + NEW.quantity WHERE id = NEW.item_id;
                    END
                    """,
                ]
            case .postgres:
                statements += [
                    """
                    CREATE FUNCTION group_buy_orders_count() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF TG_OP <> 'INSERT' THEN
                            UPDATE group_buy_items SET ordered = ordered - OLD.quantity WHERE id = OLD.item_id;
                        END IF;
                        IF TG_OP <> 'DELETE' THEN
                            UPDATE group_buy_items SET ordered = ordered + NEW.quantity WHERE id = NEW.item_id;
                        END IF;
                        RETURN NULL;
                    END
                    $$
                    """,
                    """
                    CREATE TRIGGER group_buy_orders_count AFTER INSERT OR DELETE OR UPDATE OF quantity, item_id ON group_buy_orders
                    FOR EACH ROW EXECUTE FUNCTION group_buy_orders_count()
                    """,
                ]
            }
            return statements
        },
    ]

    /// From this version on, household codes are stored keyed (see `HouseholdCodeKey`).
    static let householdCodesKeyed = 10
}
