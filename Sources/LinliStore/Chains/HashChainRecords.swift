import Foundation
import LinliCore
import SQLKit

/// A table holding hash-chain entries: columns id, chain, seq, prev_hash, hash, and the hashed
/// `fields` in this order. A new chained table adds itself to `all` and `linli verify` checks it.
public struct HashChainTable: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case int, text }

    public var table: String
    /// Chain names in this table start with this prefix (`card_custody/12`).
    public var chainPrefix: String
    public var fields: [(name: String, kind: Kind)] { zip(fieldNames, fieldKinds).map { ($0, $1) } }
    let fieldNames: [String]
    let fieldKinds: [Kind]

    public init(table: String, chainPrefix: String, fields: [(String, Kind)]) {
        self.table = table
        self.chainPrefix = chainPrefix
        self.fieldNames = fields.map(\.0)
        self.fieldKinds = fields.map(\.1)
    }

    public static let cardCustody = HashChainTable(table: "card_custody", chainPrefix: "card_custody/", fields: [
        ("card_id", .int), ("event", .text), ("actor", .text), ("holder_user_id", .int),
        ("confirmed_by", .text), ("batch_id", .int), ("at", .int), ("note", .text),
    ])

    public static let suppliesLedger = HashChainTable(table: "supply_ledger", chainPrefix: "supplies/", fields: [
        ("event", .text), ("batch_id", .int), ("household_id", .int), ("shelf_item_id", .int), ("quantity", .int),
        ("actor", .text), ("confirmed_by", .text), ("at", .int), ("note", .text),
    ])

    /// Every chained table `linli verify` walks.
    public static let all: [HashChainTable] = [.cardCustody, .suppliesLedger]

    public static func owning(chain: String) -> HashChainTable? {
        all.first { chain.hasPrefix($0.chainPrefix) }
    }
}

/// Where an appended entry landed.
public struct ChainAppended: Sendable, Hashable {
    public var rowID: Int64
    public var seq: Int64
    public var hash: String
}

/// What `linli verify` found in one chain.
public struct ChainReport: Sendable, Hashable {
    public var chain: String
    public var entries: Int
    public var problem: ChainProblem?

    public init(chain: String, entries: Int, problem: ChainProblem?) {
        self.chain = chain
        self.entries = entries
        self.problem = problem
    }
}

public enum HashChainError: Error, CustomStringConvertible {
    case fieldCount(table: String, expected: Int, got: Int)
    case noHead(String)
    case notInserted(String)

    public var description: String {
        switch self {
        case .fieldCount(let table, let expected, let got): "\(table): \(expected) chained fields expected, \(got) given"
        case .noHead(let chain): "\(chain): the chain head could not be read"
        case .notInserted(let chain): "\(chain): the entry was not inserted"
        }
    }
}

public enum HashChainRecords {
    /// Rows read per page while verifying.
    public static let pageSize = 10_000

    /// Appends an entry to `chain`. Call inside a write transaction: the head row is created if
    /// missing, read (locked on PostgreSQL, where writers run side by side; SQLite has one
    /// writer), and moved to the new entry in the same transaction.
    public static func append(to table: HashChainTable, chain: String, fields: [ChainValue], engine: DatabaseEngine, on db: any SQLDatabase) async throws -> ChainAppended {
        guard fields.count == table.fieldNames.count else {
            throw HashChainError.fieldCount(table: table.table, expected: table.fieldNames.count, got: fields.count)
        }
        try await db.raw("INSERT INTO hash_chain_heads (chain, seq, hash) VALUES (\(bind: chain), 0, \(bind: HashChain.genesis)) ON CONFLICT (chain) DO NOTHING").run()
        var select: SQLQueryString = "SELECT seq, hash FROM hash_chain_heads WHERE chain = \(bind: chain)"
        if engine == .postgres { select += " FOR UPDATE" }
        guard let head = try await db.raw(select).first() else { throw HashChainError.noHead(chain) }
        let headSeq = try head.decode(column: "seq", as: Int64.self)
        let headHash = try head.decode(column: "hash", as: String.self)
        let seq = headSeq + 1
        let hash = HashChain.hash(prevHash: headHash, chain: chain, seq: seq, fields: fields)
        var insert: SQLQueryString = "INSERT INTO \(unsafeRaw: table.table) (chain, seq, prev_hash, hash"
        for name in table.fieldNames { insert += ", \(unsafeRaw: name)" }
        insert += ") VALUES (\(bind: chain), \(bind: seq), \(bind: headHash), \(bind: hash)"
        for value in fields {
            switch value {
            case .int(let number): insert += ", \(bind: number)"
            case .text(let text): insert += ", \(bind: text)"
            case .null: insert += ", NULL"
            }
        }
        insert += ") RETURNING id"
        guard let row = try await db.raw(insert).first() else { throw HashChainError.notInserted(chain) }
        let rowID = try row.decode(column: "id", as: Int64.self)
        try await db.raw("UPDATE hash_chain_heads SET seq = \(bind: seq), hash = \(bind: hash) WHERE chain = \(bind: chain)").run()
        return ChainAppended(rowID: rowID, seq: seq, hash: hash)
    }

    /// Appends `entries` to `chain` in order, as `append` would one by one, but with one head
    /// read and update and the rows inserted together: a whole building's hand-out is not four
    /// statements per entry. Call inside a write transaction.
    public static func appendMany(to table: HashChainTable, chain: String, entries: [[ChainValue]], engine: DatabaseEngine, on db: any SQLDatabase) async throws -> Int {
        guard !entries.isEmpty else { return 0 }
        for fields in entries where fields.count != table.fieldNames.count {
            throw HashChainError.fieldCount(table: table.table, expected: table.fieldNames.count, got: fields.count)
        }
        try await db.raw("INSERT INTO hash_chain_heads (chain, seq, hash) VALUES (\(bind: chain), 0, \(bind: HashChain.genesis)) ON CONFLICT (chain) DO NOTHING").run()
        var select: SQLQueryString = "SELECT seq, hash FROM hash_chain_heads WHERE chain = \(bind: chain)"
        if engine == .postgres { select += " FOR UPDATE" }
        guard let head = try await db.raw(select).first() else { throw HashChainError.noHead(chain) }
        var seq = try head.decode(column: "seq", as: Int64.self)
        var previous = try head.decode(column: "hash", as: String.self)
        // One prepared statement run per row on SQLite, rows in statements of many on PostgreSQL.
        var rows: [[any Encodable & Sendable]] = []
        rows.reserveCapacity(entries.count)
        for fields in entries {
            seq += 1
            let hash = HashChain.hash(prevHash: previous, chain: chain, seq: seq, fields: fields)
            var row: [any Encodable & Sendable] = [chain, seq, previous, hash]
            for (value, kind) in zip(fields, table.fieldKinds) {
                switch value {
                case .int(let number): row.append(number)
                case .text(let text): row.append(text)
                // A NULL of the column's own type: PostgreSQL refuses a text NULL in a bigint column.
                case .null: if kind == .int { row.append(Int64?.none) } else { row.append(String?.none) }
                }
            }
            rows.append(row)
            previous = hash
        }
        try await db.insertRows(into: table.table, columns: ["chain", "seq", "prev_hash", "hash"] + table.fieldNames, rows: rows)
        try await db.raw("UPDATE hash_chain_heads SET seq = \(bind: seq), hash = \(bind: previous) WHERE chain = \(bind: chain)").run()
        return entries.count
    }

    /// Every chain to check: those with a head, and any found in a chained table without one.
    public static func chainNames(on db: any SQLDatabase) async throws -> [String] {
        var names = Set(try await db.raw("SELECT chain FROM hash_chain_heads").all().map { try $0.decode(column: "chain", as: String.self) })
        for table in HashChainTable.all {
            let rows = try await db.raw("SELECT DISTINCT chain FROM \(unsafeRaw: table.table)").all()
            for row in rows { names.insert(try row.decode(column: "chain", as: String.self)) }
        }
        return names.sorted()
    }

    public static func head(chain: String, on db: any SQLDatabase) async throws -> (seq: Int64, hash: String)? {
        guard let row = try await db.raw("SELECT seq, hash FROM hash_chain_heads WHERE chain = \(bind: chain)").first() else { return nil }
        return (try row.decode(column: "seq", as: Int64.self), try row.decode(column: "hash", as: String.self))
    }

    /// The entries of `chain` after (`seq`, `id`), in order, at most `limit`, none past `through`.
    public static func entries(of table: HashChainTable, chain: String, after: (seq: Int64, id: Int64), through: Int64? = nil, limit: Int,
                               on db: any SQLDatabase) async throws -> [ChainEntry] {
        var select: SQLQueryString = "SELECT id, seq, prev_hash, hash"
        for name in table.fieldNames { select += ", \(unsafeRaw: name)" }
        select += """
             FROM \(unsafeRaw: table.table) WHERE chain = \(bind: chain)
              AND (seq > \(bind: after.seq) OR (seq = \(bind: after.seq) AND id > \(bind: after.id)))
            """
        if let through { select += " AND seq <= \(bind: through)" }
        select += " ORDER BY seq, id LIMIT \(bind: limit)"
        return try await db.raw(select).all().map { row in
            var fields: [ChainValue] = []
            for (name, kind) in zip(table.fieldNames, table.fieldKinds) {
                switch kind {
                case .int: fields.append(try row.decode(column: name, as: Int64?.self).map(ChainValue.int) ?? .null)
                case .text: fields.append(try row.decode(column: name, as: String?.self).map(ChainValue.text) ?? .null)
                }
            }
            return ChainEntry(
                rowID: try row.decode(column: "id", as: Int64.self),
                seq: try row.decode(column: "seq", as: Int64.self),
                prevHash: try row.decode(column: "prev_hash", as: String.self),
                hash: try row.decode(column: "hash", as: String.self),
                fields: fields)
        }
    }

    /// Walks one chain a page at a time and reports its first problem.
    public static func verify(chain: String, pageSize: Int = pageSize, on db: any SQLDatabase) async throws -> ChainReport {
        let head = try await head(chain: chain, on: db)
        var verifier = HashChainVerifier(chain: chain, head: head)
        guard let table = HashChainTable.owning(chain: chain) else {
            // A head with no table to hold its entries: every counted entry is gone.
            return ChainReport(chain: chain, entries: 0, problem: verifier.finish())
        }
        try await walk(table, chain: chain, verifier: &verifier, after: (Int64.min, Int64.min), through: nil, pageSize: pageSize, on: db)
        return ChainReport(chain: chain, entries: verifier.entriesChecked, problem: verifier.finish())
    }

    static func walk(_ table: HashChainTable, chain: String, verifier: inout HashChainVerifier, after start: (seq: Int64, id: Int64), through: Int64?, pageSize: Int,
                     on db: any SQLDatabase) async throws {
        var after = start
        while true {
            let page = try await entries(of: table, chain: chain, after: after, through: through, limit: pageSize, on: db)
            for entry in page where !verifier.check(entry) { break }
            guard verifier.problem == nil, let last = page.last, page.count == pageSize else { break }
            after = (last.seq, last.rowID)
        }
    }

    /// Chains longer than this are walked in two halves at once, each on its own reader.
    public static let splitAbove: Int64 = 200_000

    /// One chain, in two halves walked side by side when it is long: the first half is checked up
    /// to the middle entry as if that entry were its head, the second half from the middle entry's
    /// stored hash to the real head, so together they check every link the single walk checks.
    /// Falls back to the single walk when the middle entry is not exactly one row (deleted, or
    /// slipped in twice): the single walk names that problem.
    public static func verify(chain: String, store: Store, pageSize: Int = pageSize, splitAbove: Int64 = splitAbove) async throws -> ChainReport {
        let (head, middle) = try await store.read { db -> ((seq: Int64, hash: String)?, (seq: Int64, hash: String)?) in
            let found = try await Self.head(chain: chain, on: db)
            guard let found, found.seq > splitAbove, let table = HashChainTable.owning(chain: chain) else { return (found, nil) }
            let seq = found.seq / 2
            let rows = try await db.raw("SELECT hash FROM \(unsafeRaw: table.table) WHERE chain = \(bind: chain) AND seq = \(bind: seq) LIMIT 2").all()
            guard rows.count == 1 else { return (found, nil) }
            return (found, (seq, try rows[0].decode(column: "hash", as: String.self)))
        }
        guard let middle, let table = HashChainTable.owning(chain: chain) else {
            return try await store.read { db in try await verify(chain: chain, pageSize: pageSize, on: db) }
        }
        async let first: (Int, ChainProblem?) = store.read { db in
            var verifier = HashChainVerifier(chain: chain, head: middle)
            try await walk(table, chain: chain, verifier: &verifier, after: (Int64.min, Int64.min), through: middle.seq, pageSize: pageSize, on: db)
            return (verifier.entriesChecked, verifier.finish())
        }
        async let second: (Int, ChainProblem?) = store.read { db in
            var verifier = HashChainVerifier(chain: chain, head: head, after: middle)
            try await walk(table, chain: chain, verifier: &verifier, after: (middle.seq, Int64.max), through: nil, pageSize: pageSize, on: db)
            return (verifier.entriesChecked, verifier.finish())
        }
        let (a, b) = try await (first, second)
        // The first problem along the chain: the first half's, else the second's.
        return ChainReport(chain: chain, entries: a.0 + b.0, problem: a.1 ?? b.1)
    }

    /// Every chain in the database, each walked on its own read.
    public static func verifyAll(store: Store, pageSize: Int = pageSize, progress: @Sendable (ChainReport) -> Void = { _ in }) async throws -> [ChainReport] {
        let names = try await store.read { db in try await chainNames(on: db) }
        var reports: [ChainReport] = []
        for name in names {
            let report = try await verify(chain: name, store: store, pageSize: pageSize)
            progress(report)
            reports.append(report)
        }
        return reports
    }
}
