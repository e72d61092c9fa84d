// The yardstick for request intake (docs/PERFORMANCE.md): a bare Hummingbird handler that inserts
// one row per POST into the same database through the same store (and so the same durability
// and group commit), with none of Linli's logic. Not part of Linli itself.
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
    return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"id\":\(id)}")))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
try await app.runService()
await store.close()
