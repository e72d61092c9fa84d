// The yardstick for request intake (docs/PERFORMANCE.md): a bare Hummingbird handler that inserts
// one row per POST into the same database through the same store (and so the same durability
// and group commit), with none of Linli's logic (`/rows`); and a filing's rows, again with none
// of its logic (`/request-row`, `/filing-rows`, below). Not part of Linli itself.
//   linli-bench-bare DATABASE PORT [full|normal]
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
try await store.write { db in
    try await db.raw("CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at BIGINT NOT NULL)").run()
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
struct FloorForm: Decodable {
    let household_id: Int64
    let category: String
    let description: String
}

struct FloorFiling {
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
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
try await app.runService()
await store.close()
