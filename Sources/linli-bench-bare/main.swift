// The yardstick for request intake (docs/PERFORMANCE.md): a bare Hummingbird handler that inserts
// one row per POST into the same database through the same store (and so the same durability
// and group commit), with none of Linli's logic (`/rows`); and a filing's rows, again with none
// of its logic (`/request-row`, `/filing-rows`, below), and both with their commits shared
// (`/rows-batched`, `/filing-rows-batched`); and the rows of a group buy's order
// (`/group-buy-order-rows/:buy`, at the end). Not part of Linli itself.
//   linli-bench-bare DATABASE PORT [full|normal]
// DATABASE is a SQLite file or a postgres:// URL (full|normal is SQLite's durability only).
import Foundation
import Hummingbird
import LinliStore
import Logging
import SQLKit

let arguments = CommandLine.arguments
guard arguments.count >= 3, let port = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: linli-bench-bare DATABASE PORT [full|normal]\n".utf8))
    exit(2)
}
let durability = SQLiteDurability(rawValue: (arguments.count > 3 ? arguments[3] : "full").uppercased()) ?? .full
var logger = Logger(label: "bench")
logger.logLevel = .error
let store = try await Store.open(try DatabaseLocation(argument: arguments[1]), logger: logger, durability: durability)
// An auto-numbered key on either engine: SQLite's rowid, PostgreSQL's identity column. The SQL
// below is the same on both (SQLKit numbers the binds for PostgreSQL). On PostgreSQL there is no
// durability argument (the server's fsync and synchronous_commit decide), and each write is a
// transaction of its own on one of the store's pooled connections.
let identity = store.engine == .postgres ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY"
try await store.write { db in
    try await db.raw("CREATE TABLE IF NOT EXISTS bench_rows (id \(unsafeRaw: identity), body TEXT NOT NULL, created_at BIGINT NOT NULL)").run()
}
let router = Router()
router.post("rows") { request, context -> Response in
    let body = String(buffer: try await request.body.collect(upTo: 64 * 1024))
    let id = try await store.write { db in
        try await db.raw("INSERT INTO bench_rows (body, created_at) VALUES (\(bind: body), \(bind: Int64(Date().timeIntervalSince1970 * 1000))) RETURNING id").first()?.decode(column: "id", as: Int64.self) ?? 0
    }
    return .created(id: id)
}
// What a filing's rows cost without Linli's logic, in one write per POST, each on the households
// and kinds Linli files in the same run:
// - `/request-row`: the request alone, with its indexes (and the household it is read from);
// - `/filing-rows`: every row one filing writes, the floor under Linli's intake: the request, its
//   idempotency key, its deadline job and its audit entry.
// What a filing costs above the floor is Linli's own work; what the floor costs above `/rows` is
// the schema's.
struct FloorForm: Decodable, Sendable {
    let household_id: Int64
    let category: String
    let description: String
}

struct FloorFiling: Sendable {
    let form: FloorForm
    let key: String
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    var acceptBy: Int64 { now + 43_200_000 }

    init(_ request: Request) async throws {
        form = try JSONDecoder().decode(FloorForm.self, from: Data(buffer: try await request.body.collect(upTo: 64 * 1024)))
        key = request.headers[.init("Idempotency-Key")!] ?? UUID().uuidString
    }

    func insertRequest(on db: any SQLDatabase) async throws -> Int64 {
        guard let id = try await db.raw("""
            INSERT INTO requests (household_id, category, urgency, description, channel, filed_by, owner_place_id, status, created_at, accept_by, done_by, path, district_id)
            SELECT id, \(bind: form.category), 'normal', \(bind: form.description), 'volunteer_on_behalf', 'user:2', building_id, 'new', \(bind: now), \(bind: acceptBy), \(bind: now + 172_800_000), path, district_id
            FROM households WHERE id = \(bind: form.household_id)
            RETURNING id
            """).first()?.decode(column: "id", as: Int64.self) else { throw HTTPError(.notFound) }
        return id
    }

    func insertTheRest(of id: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("INSERT INTO idempotency_keys (scope, idempotency_key, request_id, created_at) VALUES ('user:2', \(bind: key), \(bind: id), \(bind: now))").run()
        try await db.raw("INSERT INTO jobs (kind, dedupe_key, payload, run_at, created_at) VALUES ('request.deadline', \(bind: "request:\(id):0:accept:\(acceptBy)"), \(bind: "\(id)"), \(bind: acceptBy), \(bind: now))").run()
        try await db.raw("""
            INSERT INTO audit_log (at, actor, action, entity, entity_id, path, before_json, after_json, request_id)
            VALUES (\(bind: now), 'user:2', 'request.create', 'request', \(bind: "\(id)"), (SELECT path FROM requests WHERE id = \(bind: id)), NULL,
                    \(bind: "{\"category\":\"\(form.category)\",\"status\":\"new\",\"urgency\":\"normal\"}"), \(bind: key))
            """).run()
    }
}

extension Response {
    static func created(id: Int64) -> Response {
        Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"id\":\(id)}")))
    }
}

router.post("request-row") { request, context -> Response in
    let filing = try await FloorFiling(request)
    return .created(id: try await store.write { db in try await filing.insertRequest(on: db) })
}
router.post("filing-rows") { request, context -> Response in
    let filing = try await FloorFiling(request)
    return .created(id: try await store.write { db in
        let id = try await filing.insertRequest(on: db)
        try await filing.insertTheRest(of: id, on: db)
        return id
    })
}
// The same rows with their commits shared, the way Linli's filings share theirs:
// `/rows-batched` and `/filing-rows-batched` go through `Store.write(_:batchedBy:)`, so the POSTs
// waiting when a transaction starts are written together: one household lookup for all of them,
// a multi-row INSERT of the requests, and one statement for the rows that hang off them (on
// PostgreSQL; one INSERT per table on SQLite), as Linli's filings do. On SQLite every write already shares the
// writer's commits, and `/rows` and `/filing-rows` stay the yardsticks there. On PostgreSQL a plain
// `Store.write` is a transaction of its own on one of the pool's 16 connections, while Linli's
// filings go through the store's batched queue: there `/filing-rows-batched` is the floor under
// Linli's intake.

/// `INSERT INTO table (columns) VALUES (...), (...) tail` with every value bound.
func insertRows(_ head: String, _ rows: [[any Encodable & Sendable]], tail: String = "") -> SQLQueryString {
    var sql = SQLQueryString(head + " VALUES ")
    for (index, row) in rows.enumerated() {
        sql.appendLiteral(index == 0 ? "(" : ", (")
        sql.appendInterpolation(binds: row)
        sql.appendLiteral(")")
    }
    sql.appendLiteral(tail)
    return sql
}

/// The keys a multi-row INSERT ... RETURNING id gave, in the order of its rows (PostgreSQL returns
/// them in the order of VALUES, and SQLite inserts them in that order).
func insertedIDs(_ sql: SQLQueryString, count: Int, on db: any SQLDatabase) async throws -> [Int64] {
    let ids = try await db.raw(sql).all().map { try $0.decode(column: "id", as: Int64.self) }
    guard ids.count == count else { throw HTTPError(.internalServerError, message: "\(ids.count) keys for \(count) rows") }
    return ids
}

final class RowsBatch: BatchedWrite {
    func write(_ bodies: [String], on db: any SQLDatabase) async throws -> [Int64] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return try await insertedIDs(insertRows("INSERT INTO bench_rows (body, created_at)", bodies.map { [$0, now] }, tail: " RETURNING id"), count: bodies.count, on: db)
    }
}

final class FloorBatch: BatchedWrite {
    func write(_ filings: [FloorFiling], on db: any SQLDatabase) async throws -> [Int64] {
        struct Found { let building: Int64; let path: String; let district: Int64? }
        var households: [Int64: Found] = [:]
        for row in try await db.raw("SELECT id, building_id, path, district_id FROM households WHERE id IN (\(binds: Array(Set(filings.map(\.form.household_id)))))").all() {
            households[try row.decode(column: "id", as: Int64.self)] = Found(
                building: try row.decode(column: "building_id", as: Int64.self), path: try row.decode(column: "path", as: String.self),
                district: try row.decode(column: "district_id", as: Int64?.self))
        }
        // A household that is not there fails the call; the queue then writes each filing alone.
        let found = try filings.map { filing in
            guard let household = households[filing.form.household_id] else { throw HTTPError(.notFound) }
            return household
        }
        let ids = try await insertedIDs(insertRows(
            "INSERT INTO requests (household_id, category, urgency, description, channel, filed_by, owner_place_id, status, created_at, accept_by, done_by, path, district_id)",
            zip(filings, found).map { filing, household in
                [filing.form.household_id, filing.form.category, "normal", filing.form.description, "volunteer_on_behalf", "user:2", household.building,
                 "new", filing.now, filing.acceptBy, filing.now + 172_800_000, household.path, household.district]
            }, tail: " RETURNING id"), count: filings.count, on: db)
        // What hangs off the requests in one statement, as Linli's filings write it.
        try await db.insertRows([
            RowsToInsert(into: "idempotency_keys", columns: ["scope", "idempotency_key", "request_id", "created_at"],
                         rows: zip(filings, ids).map { filing, id in ["user:2", filing.key, id, filing.now] }),
            RowsToInsert(into: "jobs", columns: ["kind", "dedupe_key", "payload", "run_at", "created_at"],
                         rows: zip(filings, ids).map { filing, id in ["request.deadline", "request:\(id):0:accept:\(filing.acceptBy)", "\(id)", filing.acceptBy, filing.now] }),
            RowsToInsert(into: "audit_log", columns: ["at", "actor", "action", "entity", "entity_id", "path", "before_json", "after_json", "request_id"],
                         rows: zip(zip(filings, found), ids).map { pair, id in
                             let (filing, household) = pair
                             return [filing.now, "user:2", "request.create", "request", "\(id)", household.path, String?.none,
                                     "{\"category\":\"\(filing.form.category)\",\"status\":\"new\",\"urgency\":\"normal\"}", filing.key]
                         }),
        ])
        return ids
    }
}

let rowsBatch = RowsBatch()
let floorBatch = FloorBatch()
router.post("rows-batched") { request, context -> Response in
    let body = String(buffer: try await request.body.collect(upTo: 64 * 1024))
    return .created(id: try await store.write(body, batchedBy: rowsBatch))
}
router.post("filing-rows-batched") { request, context -> Response in
    .created(id: try await store.write(try await FloorFiling(request), batchedBy: floorBatch))
}

// The floor under a group buy's order intake: the rows one order writes, with none of Linli's
// logic (no session, no buy or window check, no sold-out count, no answer built from the
// household's orders). Each line of the body sets the household's row for that item (inserted,
// or its quantity replaced, as a re-order does), with the household's path read from its row,
// and the item's ordered total follows it by the schema's own trigger, as Linli's order does;
// then the buy's audit entry. One write per PUT, through the same store and group commit.
//   PUT /group-buy-order-rows/:buy  {"household_id":H,"items":[{"item_id":I,"quantity":Q}]}
struct FloorOrder: Decodable, Sendable {
    struct Line: Decodable, Sendable {
        let item_id: Int64
        let quantity: Int
    }
    let household_id: Int64
    let items: [Line]
}

router.put("group-buy-order-rows/:buy") { request, context -> Response in
    guard let buy = context.parameters.get("buy", as: Int64.self) else { throw HTTPError(.badRequest) }
    let order = try JSONDecoder().decode(FloorOrder.self, from: Data(buffer: try await request.body.collect(upTo: 64 * 1024)))
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    let trace = UUID().uuidString
    let id = try await store.write { db in
        var last: Int64 = 0
        for line in order.items {
            guard let id = try await db.raw("""
                INSERT INTO group_buy_orders (buy_id, item_id, household_id, quantity, source, follow_number, note, entered_by, ordered_at, path, district_id)
                SELECT \(bind: buy), \(bind: line.item_id), id, \(bind: line.quantity), 'volunteer', NULL, NULL, 2, \(bind: now), path, district_id
                FROM households WHERE id = \(bind: order.household_id)
                ON CONFLICT (buy_id, item_id, household_id) DO UPDATE SET quantity = excluded.quantity
                RETURNING id
                """).first()?.decode(column: "id", as: Int64.self) else { throw HTTPError(.notFound) }
            last = id
        }
        try await db.raw("""
            INSERT INTO audit_log (at, actor, action, entity, entity_id, path, before_json, after_json, request_id)
            VALUES (\(bind: now), 'user:2', 'group_buy.order', 'group_buy', \(bind: "\(buy)"), (SELECT path FROM group_buys WHERE id = \(bind: buy)), NULL,
                    \(bind: "household:\(order.household_id)"), \(bind: trace))
            """).run()
        return last
    }
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"id\":\(id)}")))
}

let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
try await app.runService()
await store.close()
