import Foundation

/// How a new rumour report relates to one already seen.
public enum RumourDecision: String, Sendable, Hashable, Codable, CaseIterable {
    /// The same claim: attach the report on its own.
    case same
    /// Probably the same claim: suggest the match to a person.
    case suggest
    case different
}

/// A report's text made comparable: what matters for "is this the same claim", with forwarding
/// prefixes, punctuation, emoji, spaces between characters, full-width forms and traditional
/// characters gone. Built once per stored report, so comparing against thousands is cheap.
public struct RumourFingerprint: Sendable, Hashable {
    /// Letters and digits only, lowercased, simplified.
    public let normalized: String
    /// A stable hash of `normalized`: identical texts after normalising share it.
    public let hash: String
    /// The links in the text, without scheme, `www.`, query or trailing slash.
    public let links: Set<String>
    let bigrams: [RumourMatching.Bigram: Int]
    let bigramCount: Int
    /// Characters in `normalized`.
    let length: Int
    /// Each opposable claim the text makes, by concept, with its sign (true: it happens).
    let polarity: [String: Bool]
    /// Reads as an official notice (通告, 特此通知, 指挥部 ...).
    let official: Bool
    /// Pairs of characters said with a negation before them ("不会停水": 停水), and those said
    /// without one: the same words negated on one side only make the opposite claim.
    let negated: Set<RumourMatching.Bigram>
    let affirmed: Set<RumourMatching.Bigram>

    public init(_ text: String) {
        let prepared = RumourMatching.prepare(text)
        links = RumourMatching.links(in: prepared)
        var body = prepared
        for link in RumourMatching.linkPattern(in: prepared) { body = body.replacingOccurrences(of: link, with: " ") }
        let normalized = RumourMatching.normalize(body)
        self.normalized = normalized
        hash = RumourMatching.stableHash(normalized)
        let characters = Array(normalized)
        length = characters.count
        var bigrams: [RumourMatching.Bigram: Int] = [:]
        if characters.count >= 2 {
            for index in 0..<(characters.count - 1) { bigrams[RumourMatching.bigram(characters[index], characters[index + 1]), default: 0] += 1 }
        } else if let only = characters.first {
            bigrams[RumourMatching.bigram(only, nil)] = 1
        }
        self.bigrams = bigrams
        bigramCount = bigrams.values.reduce(0, +)
        let words = RumourMatching.hidingNeutralWords(normalized)
        polarity = RumourMatching.polarity(words)
        let present = Set(normalized)
        official = RumourMatching.officialMarkers.contains { marker in marker.first.map(present.contains) == true && normalized.contains(marker) }
        (negated, affirmed) = RumourMatching.negations(words)
    }
}

/// Matching a new rumour report against stored reports and corrections: identical texts by a
/// normalised hash, the same link, and near-duplicates by a score with two thresholds (above
/// `suggestAt` a person is asked, above `sameAt` the report is attached on its own). The score is
/// the Dice coefficient of character bigrams (as Cofacts reranks its candidates), or, for a short
/// version of a longer claim, how much of the short one the long one contains; a claim turned
/// into its opposite (不能 / 能, 关闭 / 正常开放) or an official notice on the same subject is held
/// below the thresholds.
public enum RumourMatching {
    public static let suggestAt = 0.5
    public static let sameAt = 0.8
    /// A short version must keep this many characters to count as the same claim in brief.
    public static let shortestContained = 8
    /// The longest text compared; a longer one is cut (a rumour is a chat message, not a file).
    public static let maximumLength = 5_000

    public static func decision(for score: Double) -> RumourDecision {
        score >= sameAt ? .same : score >= suggestAt ? .suggest : .different
    }

    public static func compare(_ a: String, _ b: String) -> (score: Double, decision: RumourDecision) {
        let score = score(RumourFingerprint(a), RumourFingerprint(b))
        return (score, decision(for: score))
    }

    public static func score(_ a: RumourFingerprint, _ b: RumourFingerprint) -> Double {
        if !a.links.isDisjoint(with: b.links) { return 1 }
        guard !a.normalized.isEmpty, !b.normalized.isEmpty else { return 0 }
        var score: Double
        if a.hash == b.hash {
            score = 1
        } else {
            let shared = a.bigrams.reduce(0) { $0 + min($1.value, b.bigrams[$1.key] ?? 0) }
            let dice = 2 * Double(shared) / Double(a.bigramCount + b.bigramCount)
            let (short, long) = a.bigramCount <= b.bigramCount ? (a, b) : (b, a)
            var contained = 0.0
            if short.length >= shortestContained {
                let covered = short.bigrams.reduce(0) { $0 + min($1.value, long.bigrams[$1.key] ?? 0) }
                // A brief version of a claim keeps most of its words; how much of the long text it
                // leaves out lowers the score only a little.
                contained = Double(covered) / Double(short.bigramCount) * 0.9
            }
            score = max(dice, contained)
        }
        if conflict(a, b) { score = min(score, 0.3) }
        if a.official != b.official { score = min(score * 0.6, suggestAt - 0.05) }
        return (score * 1000).rounded() / 1000
    }

    /// Both texts make the same claim with opposite signs (one says it can, the other cannot).
    static func conflict(_ a: RumourFingerprint, _ b: RumourFingerprint) -> Bool {
        a.polarity.contains { concept, sign in b.polarity[concept].map { $0 != sign } ?? false }
            || a.negated.contains { !b.negated.contains($0) && b.affirmed.contains($0) }
            || b.negated.contains { !a.negated.contains($0) && a.affirmed.contains($0) }
    }

    static let negators: [String] = ["没有", "不", "没", "别", "未", "非"]
    /// Words between a negation and what it negates ("不会停水", "不用储水", "不要去").
    static let modals: Set<Character> = ["会", "能", "要", "用", "需", "再", "可", "必", "去", "得"]

    /// `text` with the words of `wordsHidingOpposites` replaced by "|". Only words whose first
    /// character occurs are looked for: each look is a Foundation call, and most never match.
    static func hidingNeutralWords(_ text: String) -> String {
        let present = Set(text)
        var words = text
        for word in wordsHidingOpposites where word.first.map(present.contains) == true {
            words = words.replacingOccurrences(of: word, with: "|")
        }
        return words
    }

    /// Expects `words` from `hidingNeutralWords`.
    static func negations(_ words: String) -> (negated: Set<Bigram>, affirmed: Set<Bigram>) {
        let characters = Array(words)
        var negated: Set<Bigram> = []
        var covered: Set<Int> = []
        var index = 0
        while index < characters.count {
            guard let negator = negatorCharacters.first(where: { word in
                index + word.count <= characters.count && characters[index..<index + word.count].elementsEqual(word)
            }) else { index += 1; continue }
            var start = index + negator.count
            while start < characters.count, modals.contains(characters[start]) { start += 1 }
            if start + 1 < characters.count, characters[start] != "|", characters[start + 1] != "|" {
                negated.insert(bigram(characters[start], characters[start + 1]))
                covered.insert(start)
            }
            index = start
        }
        var affirmed: Set<Bigram> = []
        for position in 0..<max(0, characters.count - 1) where !covered.contains(position) && characters[position] != "|" && characters[position + 1] != "|" {
            affirmed.insert(bigram(characters[position], characters[position + 1]))
        }
        return (negated, affirmed)
    }

    static let negatorCharacters = negators.map(Array.init)

    /// Two characters as one number, their Unicode scalar values side by side: hashing a number is
    /// far cheaper than hashing a two-character string, and a fingerprint holds dozens.
    typealias Bigram = UInt64

    static func bigram(_ first: Character, _ second: Character?) -> Bigram {
        code(first) << 32 | (second.map(code) ?? 0xFFFF_FFFF)
    }

    /// A character's scalar value; a character of several scalars (rare once normalised) by a
    /// hash kept apart from every scalar value.
    static func code(_ character: Character) -> UInt64 {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let only = scalars.first { return UInt64(only.value) }
        return 0x8000_0000 | UInt64(UInt32(truncatingIfNeeded: character.hashValue) & 0x3FFF_FFFF)
    }

    // MARK: Normalising

    /// Forwarding prefixes people and apps put before a forwarded message.
    static let forwardingPrefixes = ["【转发】", "【转】", "[转发]", "[转]", "转发：", "转发:", "转：", "转:", "转自", "fw:", "fwd:", "【扩散】", "扩散！", "急转", "速看", "紧急通知："]

    /// The prefixes as the text is compared: full-width punctuation half-width, lowercased.
    static let foldedPrefixes = forwardingPrefixes.map { TraditionalChinese.fold($0.precomposedStringWithCompatibilityMapping.lowercased()) }

    /// Full-width forms to half-width, traditional to simplified, lowercase, NFKC.
    static func prepare(_ text: String) -> String {
        var prepared = String(text.prefix(maximumLength)).precomposedStringWithCompatibilityMapping.lowercased()
        prepared = TraditionalChinese.fold(prepared)
        var trimmed = prepared.trimmingCharacters(in: .whitespacesAndNewlines)
        var changed = true
        while changed {
            changed = false
            for prefix in foldedPrefixes where trimmed.hasPrefix(prefix) {
                trimmed = String(trimmed.dropFirst(prefix.count)).trimmingCharacters(in: .whitespacesAndNewlines)
                changed = true
            }
        }
        prepared = trimmed
        return prepared
    }

    /// Letters and digits only: punctuation, emoji, symbols and spaces (also between spaced-out
    /// characters) go.
    static func normalize(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { scalar in
            let properties = scalar.properties
            return properties.isAlphabetic || properties.numericType != nil
        }))
    }

    static func linkPattern(in text: String) -> [String] {
        // Every link the pattern takes holds a dot or "://": most texts have neither, and the
        // regular expression is the dearest step of a fingerprint.
        guard text.contains(".") || text.contains("://") else { return [] }
        // With a scheme, with www., or a bare domain of the sites rumours travel on followed by a path.
        return text.matches(of: /(?:https?:\/\/|www\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org)\/)[^\s，。！？、）)】」"']+/).map { String($0.output) }
    }

    static func links(in text: String) -> Set<String> {
        Set(linkPattern(in: text).map { link in
            var canonical = link
            for prefix in ["https://", "http://", "www."] where canonical.hasPrefix(prefix) { canonical.removeFirst(prefix.count) }
            if canonical.hasPrefix("www.") { canonical.removeFirst(4) }
            if let query = canonical.firstIndex(where: { $0 == "?" || $0 == "#" }) { canonical = String(canonical[..<query]) }
            while canonical.hasSuffix("/") { canonical.removeLast() }
            return canonical
        }.filter { $0.count >= 4 })
    }

    /// FNV-1a over the UTF-8 bytes, as 16 hex digits: stable across runs and machines (Swift's
    /// own `hashValue` is seeded per process).
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    // MARK: Claims and their opposites

    /// Opposable claims: the words that say it happens and those that say it does not, by concept.
    /// Negated forms are listed first and read first, so "不能" is not also read as "能".
    static let opposites: [(concept: String, negative: [String], positive: [String])] = [
        ("open", ["关闭", "关门", "停业", "歇业", "暂停营业", "停诊", "不开门", "不营业", "封闭"], ["正常开放", "开放", "开门", "营业", "开业", "恢复营业", "正常接诊", "接诊"]),
        ("can", ["不能", "不可以", "不允许", "不准", "禁止", "不得", "无法"], ["能", "可以", "允许", "准许"]),
        ("will", ["不会", "不再"], ["会", "将"]),
        ("need", ["不用", "不需要", "无需", "不必", "免"], ["需要", "要", "必须", "须"]),
        ("true", ["不是", "并非", "没有", "无"], ["是", "有"]),
        ("stop", ["恢复", "继续", "照常"], ["停止", "暂停", "取消", "中止"]),
        ("free", ["收费", "要钱", "付费"], ["免费", "不要钱", "不收费"]),
        ("positive", ["阴性"], ["阳性"]),
        ("lockdown", ["解封", "解除封控", "解除管控"], ["封控", "封城", "封楼", "静默"]),
    ]

    /// `opposites` with each list longest word first, so a longer word is read before the shorter
    /// one inside it.
    static let sortedOpposites = opposites.map { ($0.concept, $0.negative.sorted { $0.count > $1.count }, $0.positive.sorted { $0.count > $1.count }) }

    /// Each concept the text speaks of, with its sign: false when only its negative words occur
    /// (or more of them), true when only its positive words do.
    /// Expects `words` from `hidingNeutralWords`.
    static func polarity(_ words: String) -> [String: Bool] {
        var result: [String: Bool] = [:]
        let present = Set(words)
        for (concept, negatives, positives) in sortedOpposites {
            // A word whose first character is absent cannot occur: skipped without a Foundation call.
            func mayOccur(_ word: String) -> Bool { word.first.map(present.contains) == true }
            guard negatives.contains(where: mayOccur) || positives.contains(where: mayOccur) else { continue }
            var rest = words
            var negative = 0
            for word in negatives where mayOccur(word) {
                let count = rest.components(separatedBy: word).count - 1
                if count > 0 {
                    negative += count
                    rest = rest.replacingOccurrences(of: word, with: "|")
                }
            }
            var positive = 0
            for word in positives where mayOccur(word) {
                let count = rest.components(separatedBy: word).count - 1
                if count > 0 {
                    positive += count
                    rest = rest.replacingOccurrences(of: word, with: "|")
                }
            }
            if negative > 0 && positive == 0 { result[concept] = false }
            if positive > 0 && negative == 0 { result[concept] = true }
        }
        return result
    }

    /// Words that hold one of the opposable characters without saying yes or no ("居委会" is not
    /// "会", "可能" is not "能"): taken out before the claims are read.
    static let wordsHidingOpposites = [
        "居委会", "委员会", "业委会", "村委会", "会议", "开会", "机会", "社会", "会员", "可能", "功能", "能力", "能量", "重要", "主要", "要求", "只要",
        "所有", "有关", "有限", "有的", "有些", "但是", "还是", "是否", "就是", "只是", "于是", "是不是", "有没有", "能不能", "会不会", "要不要",
        "无论", "将近", "无症状",
    ]

    /// Words that mark a text as an official notice rather than a chat claim.
    static let officialMarkers = ["通告", "特此通知", "特此公告", "指挥部", "领导小组办公室", "防控办", "根据市疫情防控", "现将有关事项", "有关事项通知如下", "官方发布"]
}
