// A relief batch handed out at district scale (docs/PERFORMANCE.md, "Relief hand-out
// (district)"): receives one package per household at the district demo's district, hands it to
// every household through the same records the API uses (`SupplyRecords.handOut`: the one-per-
// household and stock checks, the entitlement, the hand-out row, the batch's counters and the
// ledger entry with its hash), then walks the district's ledger chain as `linli verify` does.
// Prints one JSON line; scripts/bench/relief-handout times the same rows inserted with plain SQL
// in the sqlite3 shell as the floor.
//   linli-bench-supplies DATABASE [LIMIT]
// LIMIT hands out to the first LIMIT households only (all by default). BENCH_PATH=bulk (the
// default) hands out as leaders sign off whole buildings (`SupplyRecords.handOutMany`, what
// `POST …/handouts/bulk` does), BENCH_CHUNK households (default 2,000, some forty buildings) a
// transaction; BENCH_PATH=door hands out one household at a time (`SupplyRecords.handOut`, what a
// phone at the door does), BENCH_CHUNK households sharing a transaction.
import Foundation
import LinliCore
import LinliStore
import Logging
import SQLKit

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: linli-bench-supplies DATABASE [LIMIT]\n".utf8))
    exit(2)
}
let limit = arguments.count > 2 ? min(max(Int(arguments[2]) ?? Int.max, 1), 10_000_000) : 10_000_000
let chunk = min(max(Int(ProcessInfo.processInfo.environment["BENCH_CHUNK"] ?? "") ?? 2_000, 1), 100_000)
let bulk = ProcessInfo.processInfo.environment["BENCH_PATH"] != "door"
var logger = Logger(label: "bench")
logger.logLevel = .error
let store = try await Store.open(try DatabaseLocation(argument: arguments[1]), logger: logger)
let engine = store.engine
let now = Date()

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let (district, staff, households) = try await store.read { db in
    guard let district = try await db.raw("SELECT id FROM places WHERE level = 'district' ORDER BY id LIMIT 1").first()?.decode(column: "id", as: PlaceID.self),
          let staff = try await db.raw("SELECT id FROM users ORDER BY id LIMIT 1").first()?.decode(column: "id", as: UserID.self) else {
        throw StoreError.notFound
    }
    // In path order, building by building, as leaders walk them.
    let households = try await db.raw("SELECT id FROM households ORDER BY path LIMIT \(bind: limit)").all().map { try $0.decode(column: "id", as: PlaceID.self) }
    return (district, staff, households)
}

let start = ContinuousClock.now
let batch = try await store.write { db in
    let relief = NewSupplyBatch(kind: .relief, source: "区政府", supplier: "保供单位", lot: "BENCH-1", contents: [SupplyLine(item: "大米", quantity: 5, unit: "斤")],
                                licences: nil, expiry: "2022-10-31", unit: .package, received: households.count, placeID: district, allocation: .perHousehold, note: nil)
    return try await SupplyRecords.receive(relief, by: staff, now: now, engine: engine, on: db).0
}
let received = seconds(since: start)
var index = 0
while index < households.count {
    let slice = Array(households[index..<min(index + chunk, households.count)])
    let offset = index
    try await store.write { db in
        if bulk {
            _ = try await SupplyRecords.handOutMany(batchID: batch.id, households: slice, confirmedBy: SupplyRecords.actor(staff), by: staff, note: "整栋送到，楼长签收",
                                                    now: now, engine: engine, on: db)
            return
        }
        for (position, household) in slice.enumerated() {
            let byCode = (offset + position) % 2 == 0
            _ = try await SupplyRecords.handOut(batchID: batch.id, householdID: household, confirmedBy: byCode ? "household_code" : SupplyRecords.actor(staff), by: staff,
                                                note: byCode ? nil : "放门口，电话确认", now: now, engine: engine, on: db)
        }
    }
    index += slice.count
}
let written = seconds(since: start)
let verifyStart = ContinuousClock.now
let chain = SupplyRecords.chainName(districtID: district)
// As `linli verify` walks it: a chain this long in two halves at once.
let report = try await HashChainRecords.verify(chain: chain, store: store)
let verified = seconds(since: verifyStart)
print("""
    {"households": \(households.count), "entries": \(report.entries), "holds": \(report.problem == nil), "receive_seconds": \(String(format: "%.3f", received)), \
    "write_seconds": \(String(format: "%.3f", written)), "verify_seconds": \(String(format: "%.3f", verified)), \
    "total_seconds": \(String(format: "%.3f", written + verified)), "chunk": \(chunk), "path": "\(bulk ? "bulk" : "door")", "batch_id": \(batch.id.rawValue)}
    """)
await store.close()
exit(report.problem == nil ? 0 : 1)
