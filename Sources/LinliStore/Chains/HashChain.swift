import Crypto
import Foundation

/// One hashed value of a chain entry. Integers and text are told apart in the encoding, so `1`
/// and `"1"` never hash alike.
public enum ChainValue: Sendable, Hashable {
    case int(Int64)
    case text(String)
    case null
}

/// An append-only hash chain: every entry's hash covers the previous entry's hash, the chain's
/// name, its own sequence number and its fields, so editing, deleting or slipping in an entry
/// breaks the links after it. Pure: the database side is `HashChainRecords`.
public enum HashChain {
    /// The `prev_hash` of a chain's first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Unambiguous bytes for an entry: every value carries its kind and, for text, its length in
    /// UTF-8 bytes, so no two different field lists encode alike.
    public static func canonical(chain: String, seq: Int64, fields: [ChainValue]) -> Data {
        var encoded: [UInt8] = []
        appendCanonical(chain: chain, seq: seq, fields: fields, to: &encoded)
        return Data(encoded)
    }

    /// The same bytes as `canonical`, appended to a buffer: walking a ledger of millions of
    /// entries hashes each once, and building each encoding from small strings was most of it.
    static func appendCanonical(chain: String, seq: Int64, fields: [ChainValue], to encoded: inout [UInt8]) {
        func appendDecimal(_ number: Int64) {
            if number < 0 { encoded.append(UInt8(ascii: "-")) }
            var magnitude = number.magnitude
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &digits) { buffer in
                repeat {
                    buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                    count += 1
                } while magnitude > 0
                for index in stride(from: count - 1, through: 0, by: -1) { encoded.append(buffer[index]) }
            }
        }
        func append(_ value: ChainValue) {
            switch value {
            case .null:
                encoded.append(UInt8(ascii: "n"))
                encoded.append(UInt8(ascii: ";"))
            case .int(let number):
                encoded.append(UInt8(ascii: "i"))
                appendDecimal(number)
                encoded.append(UInt8(ascii: ";"))
            case .text(let text):
                encoded.append(UInt8(ascii: "t"))
                appendDecimal(Int64(text.utf8.count))
                encoded.append(UInt8(ascii: ":"))
                encoded.append(contentsOf: text.utf8)
                encoded.append(UInt8(ascii: ";"))
            }
        }
        append(.text(chain))
        append(.int(seq))
        appendDecimal(Int64(fields.count))
        encoded.append(UInt8(ascii: "|"))
        fields.forEach(append)
    }

    /// SHA-256, lowercase hex, over the previous hash and the entry's canonical bytes.
    public static func hash(prevHash: String, chain: String, seq: Int64, fields: [ChainValue]) -> String {
        var input: [UInt8] = []
        input.reserveCapacity(256)
        input.append(contentsOf: prevHash.utf8)
        appendCanonical(chain: chain, seq: seq, fields: fields, to: &input)
        return hex(SHA256.hash(data: input))
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex, byte by byte: `String(format:)` per byte goes through NSString on Linux and
    /// was most of the time of walking a district's ledger.
    static func hex(_ digest: SHA256.Digest) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(SHA256.byteCount * 2)
        for byte in digest {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// An entry as stored: its row id names it in reports.
public struct ChainEntry: Sendable, Hashable {
    public var rowID: Int64
    public var seq: Int64
    public var prevHash: String
    public var hash: String
    public var fields: [ChainValue]

    public init(rowID: Int64, seq: Int64, prevHash: String, hash: String, fields: [ChainValue]) {
        self.rowID = rowID
        self.seq = seq
        self.prevHash = prevHash
        self.hash = hash
        self.fields = fields
    }
}

/// The first thing wrong with a chain.
public enum ChainProblem: Sendable, Hashable, CustomStringConvertible {
    /// The entry's stored hash is not the hash of its fields: it was edited.
    case altered(chain: String, seq: Int64, rowID: Int64)
    /// The entry does not link to the one before it, repeats a sequence number, or lies beyond
    /// the chain's head: it was put there by hand.
    case inserted(chain: String, seq: Int64, rowID: Int64)
    /// Entries `missingFrom...missingTo` are gone; `nextRowID` is the entry after the gap (nil
    /// when the newest entries were deleted and only the head remembers them).
    case deleted(chain: String, missingFrom: Int64, missingTo: Int64, nextRowID: Int64?)
    /// The head's hash differs from the last entry's at the same sequence number.
    case headMismatch(chain: String, seq: Int64, rowID: Int64?)

    public var chain: String {
        switch self {
        case .altered(let chain, _, _), .inserted(let chain, _, _), .deleted(let chain, _, _, _), .headMismatch(let chain, _, _): chain
        }
    }

    public var description: String {
        switch self {
        case .altered(let chain, let seq, let rowID):
            "\(chain): entry seq \(seq) (row id \(rowID)) was altered: its hash does not match its fields"
        case .inserted(let chain, let seq, let rowID):
            "\(chain): entry seq \(seq) (row id \(rowID)) was inserted: it does not follow the chain before it"
        case .deleted(let chain, let from, let to, let next):
            (from == to ? "\(chain): entry seq \(from) was deleted" : "\(chain): entries seq \(from)–\(to) were deleted")
                + (next.map { " (the next entry is row id \($0))" } ?? " (the head still counts it)")
        case .headMismatch(let chain, let seq, let rowID):
            "\(chain): the head's hash differs from entry seq \(seq)" + (rowID.map { " (row id \($0))" } ?? "")
        }
    }
}

/// Walks one chain's entries in sequence order and keeps only what the next step needs, so a
/// chain of any length is checked a page at a time. Stops at the first problem.
public struct HashChainVerifier: Sendable {
    public let chain: String
    /// The head row's sequence number and hash (seq 0 and the genesis hash when it has none).
    public let head: (seq: Int64, hash: String)
    public private(set) var entriesChecked = 0
    public private(set) var problem: ChainProblem?
    private var lastSeq: Int64 = 0
    private var lastHash = HashChain.genesis
    private var lastRowID: Int64?
    private var firstBeyondHeadRowID: Int64?

    public init(chain: String, head: (seq: Int64, hash: String)?) {
        self.chain = chain
        self.head = head ?? (0, HashChain.genesis)
    }

    /// A walker of the part of a chain after entry `after`, whose hash another walker checks:
    /// lets two readers walk the two halves of a long chain at once.
    public init(chain: String, head: (seq: Int64, hash: String)?, after: (seq: Int64, hash: String)) {
        self.init(chain: chain, head: head)
        lastSeq = after.seq
        lastHash = after.hash
    }

    /// Checks the next entry; returns false once a problem is found (later entries need not be read).
    @discardableResult
    public mutating func check(_ entry: ChainEntry) -> Bool {
        guard problem == nil else { return false }
        entriesChecked += 1
        let recomputed = HashChain.hash(prevHash: entry.prevHash, chain: chain, seq: entry.seq, fields: entry.fields)
        if recomputed != entry.hash {
            problem = .altered(chain: chain, seq: entry.seq, rowID: entry.rowID)
        } else if entry.seq <= lastSeq {
            problem = .inserted(chain: chain, seq: entry.seq, rowID: entry.rowID)
        } else if entry.seq > lastSeq + 1 {
            problem = .deleted(chain: chain, missingFrom: lastSeq + 1, missingTo: entry.seq - 1, nextRowID: entry.rowID)
        } else if entry.prevHash != lastHash {
            problem = .inserted(chain: chain, seq: entry.seq, rowID: entry.rowID)
        }
        if entry.seq > head.seq, firstBeyondHeadRowID == nil { firstBeyondHeadRowID = entry.rowID }
        lastSeq = entry.seq
        lastHash = entry.hash
        lastRowID = entry.rowID
        return problem == nil
    }

    /// After the last entry: compares the walked chain with its head. Entries beyond the head
    /// were added without it; a head beyond the last entry lost its newest entries.
    public mutating func finish() -> ChainProblem? {
        if let problem { return problem }
        if head.seq > lastSeq {
            problem = .deleted(chain: chain, missingFrom: lastSeq + 1, missingTo: head.seq, nextRowID: nil)
        } else if head.seq < lastSeq {
            problem = .inserted(chain: chain, seq: head.seq + 1, rowID: firstBeyondHeadRowID ?? lastRowID ?? 0)
        } else if head.hash != lastHash {
            problem = .headMismatch(chain: chain, seq: lastSeq, rowID: lastRowID)
        }
        return problem
    }
}
