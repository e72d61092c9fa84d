// Medicine runs at district scale (docs/PERFORMANCE.md, "Medicine runs (district)"): files
// 100,000 open medicine requests across the district demo's medicine teams, then times what the
// cut-off does at 20:00, forming every team's nightly batch and building each batch's
// per-hospital lists, through the same functions the server's cut-off job and pages use. Prints
// one JSON line; scripts/bench/medicine-batches times the same totals as one SQL query in the
// sqlite3 shell on the same file, between the two steps, and compares.
//   linli-bench-medicine DATABASE file [COUNT]    files the requests
//   linli-bench-medicine DATABASE cutoff          forms tonight's batches and their lists
import Foundation
import LinliCore
import LinliStore
import Logging

let arguments = CommandLine.arguments
guard arguments.count >= 3, ["file", "cutoff"].contains(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: linli-bench-medicine DATABASE file [COUNT] | linli-bench-medicine DATABASE cutoff\n".utf8))
    exit(2)
}
let count = arguments.count > 3 ? min(max(Int(arguments[3]) ?? 100_000, 1), 1_000_000) : 100_000
var logger = Logger(label: "bench")
logger.logLevel = .error
let store = try await Store.open(try DatabaseLocation(argument: arguments[1]), logger: logger)
let now = Date()
let night = MedicineBatch.night(filedAt: now, cutoffMinute: MedicineBatch.defaultCutoffMinute)

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

if arguments[2] == "file" {
    let start = ContinuousClock.now
    let filed = try await store.write { db in try await MedicineRequestsGenerator.generate(count: count, night: night, at: now, on: db) }
    print("{\"filed\": \(filed), \"seconds\": \(String(format: "%.3f", seconds(since: start)))}")
    await store.close()
    exit(0)
}

let start = ContinuousClock.now
let formed = try await store.write { db in
    try await MedicineNightlyForming.formNightly(cutoffMinute: MedicineBatch.defaultCutoffMinute, night: night, at: now, on: db)
}
let forming = seconds(since: start)
// BENCH_LISTS=swift totals the items in the core (`MedicineHospitalLists.build`) instead of the
// database, and BENCH_LISTS=one in one query on one connection, for comparison; by default the
// night's query is split over two reader connections (`BENCH_PARTS`).
let mode = ProcessInfo.processInfo.environment["BENCH_LISTS"] ?? "sql"
let parts = Int(ProcessInfo.processInfo.environment["BENCH_PARTS"] ?? "") ?? 2
func buildLists() async throws -> [MedicineBatchID: [HospitalList]] {
    switch mode {
    case "swift": return try await store.read { db in MedicineHospitalLists.build(try await MedicineNightlyForming.lines(night: night, on: db)) }
    case "one": return try await store.read { db in try await MedicineNightlyForming.totals(night: night, on: db) }
    default: return try await MedicineNightlyForming.totals(night: night, store: store, parts: parts)
    }
}
// The lists are built twice and the faster counts, as the script counts the faster of the
// shell's two runs of the query: both sides of the ratio get the same second chance.
var listTimes: [Double] = []
var lists: [MedicineBatchID: [HospitalList]] = [:]
for _ in 0..<2 {
    let listStart = ContinuousClock.now
    lists = try await buildLists()
    listTimes.append(seconds(since: listStart))
}
let listing = listTimes.min() ?? 0
let total = forming + listing
let rows = lists.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.lines.count } }
let quantity = lists.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.lines.reduce(0) { $0 + $1.quantity } } }
print("""
    {"batches": \(formed.count), "list_rows": \(rows), "quantity": \(quantity), \
    "form_seconds": \(String(format: "%.3f", forming)), "lists_seconds": \(String(format: "%.3f", listing)), "lists_runs": [\(listTimes.map { String(format: "%.3f", $0) }.joined(separator: ", "))], "total_seconds": \(String(format: "%.3f", total)), "night": "\(night)"}
    """)
// The lists as the sqlite3 shell prints the query's rows (team|source|hospital|window|drug|
// specification|quantity|households), for the script to compare; not timed.
if let path = ProcessInfo.processInfo.environment["BENCH_LISTS_OUT"] {
    let teams = try await store.read { db in
        try await db.raw("SELECT id, team_id FROM medicine_batches WHERE night = \(bind: night) AND kind = 'nightly'").all().reduce(into: [MedicineBatchID: Int64]()) {
            $0[try $1.decode(column: "id", as: MedicineBatchID.self)] = try $1.decode(column: "team_id", as: Int64.self)
        }
    }
    var text = ""
    for (batch, hospitals) in lists {
        for list in hospitals {
            for line in list.lines {
                text += "\(teams[batch] ?? 0)|\(list.source.rawValue)|\(list.hospital)|\(list.window)|\(line.drug)|\(line.specification)|\(line.quantity)|\(line.households)\n"
            }
        }
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}
await store.close()
