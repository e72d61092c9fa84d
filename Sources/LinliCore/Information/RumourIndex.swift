/// Stored rumour reports and corrections, indexed so a new report is compared in full only with
/// those that share enough of its words: the same normalised hash, the same link, or many of its
/// character bigrams. Comparing a report with ten thousand stored ones one by one costs a Dice
/// score each; through the index most are never touched.
public struct RumourIndex<Key: Hashable & Sendable>: Sendable {
    public struct Match: Sendable, Hashable {
        public var key: Key
        public var score: Double
        public var decision: RumourDecision

        public init(key: Key, score: Double, decision: RumourDecision) {
            self.key = key
            self.score = score
            self.decision = decision
        }
    }

    private var fingerprints: [RumourFingerprint] = []
    private var keys: [Key] = []
    private var byHash: [String: [Int]] = [:]
    private var byLink: [String: [Int]] = [:]
    private var byBigram: [RumourMatching.Bigram: [Int]] = [:]

    /// Fully scored candidates per new report, those sharing the most bigrams first.
    public static var candidates: Int { 200 }

    public init() {}

    public var count: Int { keys.count }

    public mutating func insert(_ key: Key, text: String) {
        insert(key, fingerprint: RumourFingerprint(text))
    }

    public mutating func insert(_ key: Key, fingerprint: RumourFingerprint) {
        let position = keys.count
        keys.append(key)
        fingerprints.append(fingerprint)
        byHash[fingerprint.hash, default: []].append(position)
        for link in fingerprint.links { byLink[link, default: []].append(position) }
        for bigram in fingerprint.bigrams.keys { byBigram[bigram, default: []].append(position) }
    }

    /// The stored entries that match `text` (decision `same` or `suggest`), best first.
    public func matches(for text: String) -> [Match] {
        matches(for: RumourFingerprint(text))
    }

    public func matches(for fingerprint: RumourFingerprint) -> [Match] {
        // Counted in an array by position, not a dictionary: a common bigram's postings run to
        // thousands at district scale, and a dictionary increment per posting was most of a match.
        var counts = [Int32](repeating: 0, count: keys.count)
        var touched: [Int] = []
        func add(_ position: Int, _ amount: Int32) {
            if counts[position] == 0 { touched.append(position) }
            counts[position] = counts[position] &+ amount
        }
        for position in byHash[fingerprint.hash] ?? [] { add(position, 1_000_000) }
        for link in fingerprint.links {
            for position in byLink[link] ?? [] { add(position, 1_000_000) }
        }
        for bigram in fingerprint.bigrams.keys {
            for position in byBigram[bigram] ?? [] { add(position, 1) }
        }
        // Ranked by the score the shared bigrams allow (Dice, or containment of the shorter), so
        // a short stored report that shares few bigrams but all of its own is not passed over.
        let size = Double(fingerprint.bigrams.count)
        func estimate(_ position: Int, _ count: Int) -> Double {
            guard count < 1_000_000 else { return 2 }
            let other = Double(fingerprints[position].bigrams.count)
            let common = Double(count)
            return max(2 * common / (size + other), 0.9 * common / max(1, min(size, other)))
        }
        let chosen = touched.map { (position: $0, estimate: estimate($0, Int(counts[$0]))) }
            .sorted { $0.estimate != $1.estimate ? $0.estimate > $1.estimate : $0.position < $1.position }
            .prefix(Self.candidates)
        var found: [Match] = []
        for (position, _) in chosen {
            let score = RumourMatching.score(fingerprint, fingerprints[position])
            let decision = RumourMatching.decision(for: score)
            if decision != .different { found.append(Match(key: keys[position], score: score, decision: decision)) }
        }
        return found.sorted { $0.score > $1.score }
    }
}
