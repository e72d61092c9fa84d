import PropertyBased
import Testing
@testable import LinliStore

/// Chains built in memory, tampered with one way, and walked: the verifier names the entry.
@Suite("The hash-chain verifier names the first altered, inserted or deleted entry")
struct HashChainVerifierTests {
    static let chain = "card_custody/7"

    /// A well-formed chain of `count` entries, row ids 100, 101, ….
    static func build(_ fieldLists: [[ChainValue]]) -> [ChainEntry] {
        var entries: [ChainEntry] = []
        var prev = HashChain.genesis
        for (index, fields) in fieldLists.enumerated() {
            let seq = Int64(index + 1)
            let hash = HashChain.hash(prevHash: prev, chain: chain, seq: seq, fields: fields)
            entries.append(ChainEntry(rowID: Int64(100 + index), seq: seq, prevHash: prev, hash: hash, fields: fields))
            prev = hash
        }
        return entries
    }

    static func walk(_ entries: [ChainEntry], head: (seq: Int64, hash: String)?) -> (ChainProblem?, Int) {
        var verifier = HashChainVerifier(chain: chain, head: head)
        for entry in entries where !verifier.check(entry) { break }
        return (verifier.finish(), verifier.entriesChecked)
    }

    static func head(of entries: [ChainEntry]) -> (seq: Int64, hash: String) {
        entries.last.map { ($0.seq, $0.hash) } ?? (0, HashChain.genesis)
    }

    static let value = Gen.oneOf(
        Gen.int(in: -5...1_000_000).map { ChainValue.int(Int64($0)) }.eraseToAnySequence(),
        Gen.letterOrNumber.string(of: 0...12).map { ChainValue.text($0) }.eraseToAnySequence(),
        Gen.always(ChainValue.null).eraseToAnySequence()
    )
    static let chainFields = value.array(of: 3).array(of: 1...25)

    @Test("an untouched chain holds, and its length is counted")
    func intactChainHolds() async {
        await propertyCheck(count: 100, input: Self.chainFields) { fields in
            let entries = Self.build(fields)
            let (problem, checked) = Self.walk(entries, head: Self.head(of: entries))
            #expect(problem == nil)
            #expect(checked == entries.count)
        }
    }

    @Test("an edited field is reported as that entry altered")
    func alteredEntry() async {
        await propertyCheck(count: 100, input: zip(Self.chainFields, Gen.int(in: 0...1_000), Self.value)) { fields, pick, replacement in
            var entries = Self.build(fields)
            let head = Self.head(of: entries)
            let index = pick % entries.count
            let column = pick % entries[index].fields.count
            guard entries[index].fields[column] != replacement else { return }
            entries[index].fields[column] = replacement
            let (problem, _) = Self.walk(entries, head: head)
            #expect(problem == .altered(chain: Self.chain, seq: Int64(index + 1), rowID: Int64(100 + index)))
        }
    }

    @Test("a deleted entry in the middle is a gap named by the entry after it; the newest deleted shows at the head")
    func deletedEntry() async {
        await propertyCheck(count: 100, input: zip(Self.chainFields, Gen.int(in: 0...1_000))) { fields, pick in
            var entries = Self.build(fields)
            let head = Self.head(of: entries)
            let index = pick % entries.count
            entries.remove(at: index)
            let (problem, _) = Self.walk(entries, head: head)
            let seq = Int64(index + 1)
            let next: Int64? = index < entries.count ? Int64(100 + index + 1) : nil
            #expect(problem == .deleted(chain: Self.chain, missingFrom: seq, missingTo: seq, nextRowID: next))
        }
    }

    @Test("a forged entry slipped in is reported as inserted, whether it renumbers the rest or is appended past the head")
    func insertedEntry() async {
        await propertyCheck(count: 100, input: zip(Self.chainFields, Gen.int(in: 0...1_000), Self.value.array(of: 3))) { fields, pick, forgedFields in
            let original = Self.build(fields)
            let head = Self.head(of: original)
            let index = pick % (original.count + 1)
            // The forger computes a self-consistent hash over a made-up prev_hash, then renumbers
            // every later entry (leaving their hashes, which they cannot recompute without breaking more).
            let seq = Int64(index + 1)
            let forgedPrev = String(repeating: "f", count: 64)
            let forged = ChainEntry(rowID: 999, seq: seq, prevHash: forgedPrev,
                                    hash: HashChain.hash(prevHash: forgedPrev, chain: Self.chain, seq: seq, fields: forgedFields), fields: forgedFields)
            var entries = Array(original.prefix(index)) + [forged]
            let (problem, _) = Self.walk(entries + original.dropFirst(index).map { entry in
                var moved = entry
                moved.seq += 1
                return moved
            }, head: head)
            #expect(problem == .inserted(chain: Self.chain, seq: seq, rowID: 999))
            // A well-linked forgery at the end is still past the head.
            if index == original.count {
                entries.removeLast()
                let linked = ChainEntry(rowID: 998, seq: seq, prevHash: head.hash,
                                        hash: HashChain.hash(prevHash: head.hash, chain: Self.chain, seq: seq, fields: forgedFields), fields: forgedFields)
                #expect(Self.walk(entries + [linked], head: head).0 == .inserted(chain: Self.chain, seq: seq, rowID: 998))
            }
        }
    }

    @Test("a repeated sequence number is an insertion; a head with the wrong hash is reported")
    func duplicatesAndHead() {
        let entries = Self.build([[.int(1)], [.text("a")], [.null]])
        var duplicate = entries[1]
        duplicate.rowID = 500
        #expect(Self.walk([entries[0], entries[1], duplicate], head: Self.head(of: entries)).0 == .inserted(chain: Self.chain, seq: 2, rowID: 500))
        #expect(Self.walk(entries, head: (3, HashChain.genesis)).0 == .headMismatch(chain: Self.chain, seq: 3, rowID: 102))
        #expect(Self.walk([], head: nil).0 == nil)
    }

    @Test("the hash is SHA-256 in lowercase hex over the previous hash and the canonical bytes")
    func hashIsLowercaseHex() {
        // Computed apart from Linli: sha256(64 zeros + "t10:supplies/3;i1;4|t10:handed_out;i7;n;t9:放门口;").
        let fields: [ChainValue] = [.text("handed_out"), .int(7), .null, .text("放门口")]
        #expect(HashChain.hash(prevHash: HashChain.genesis, chain: "supplies/3", seq: 1, fields: fields)
            == "9a24ab2dfed924d4b74908b1be0971fd4d8f29008e268f445dd88475df615bb0")
    }

    @Test("the encoding is unambiguous: text and numbers, and split text, never collide")
    func canonicalEncoding() {
        let a = HashChain.canonical(chain: "c", seq: 1, fields: [.text("1")])
        let b = HashChain.canonical(chain: "c", seq: 1, fields: [.int(1)])
        let c = HashChain.canonical(chain: "c", seq: 1, fields: [.text("ab"), .text("c")])
        let d = HashChain.canonical(chain: "c", seq: 1, fields: [.text("a"), .text("bc")])
        let e = HashChain.canonical(chain: "c", seq: 1, fields: [.null])
        let f = HashChain.canonical(chain: "c", seq: 1, fields: [.text("")])
        #expect(Set([a, b, c, d, e, f]).count == 6)
        #expect(HashChain.hash(prevHash: HashChain.genesis, chain: "c", seq: 1, fields: []).count == 64)
    }
}
