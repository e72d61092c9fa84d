/// Finding the answer to a resident's question in the answers library.
///
/// The database finds candidates by trigrams (SQLite FTS5's trigram tokenizer, PostgreSQL's
/// pg_trgm): fast, but a paraphrase shares few trigrams with the stored question
/// ("医院拒收急诊病人怎么办" and "急诊病人被医院拒绝接收怎么办" share three of nine). So the
/// candidates are ranked here by the character bigrams they share with the question, which a
/// paraphrase mostly keeps, with the words every question has ("怎么办", "可以吗") counting little.
/// Both sides are normalised as rumours are (`RumourMatching`): full-width forms, case,
/// traditional characters and punctuation do not matter.
public enum AnswerSearch {
    /// A query needs two characters after normalising: one character matches half the library.
    public static let shortestQuery = 2
    /// Below this score a candidate shares too little with the question to be shown.
    public static let minimumScore = 0.25
    /// Trigrams sent to the database for one query; a longer query is sampled evenly.
    public static let maximumTerms = 32

    /// Letters and digits only, lowercased, simplified: the form that is indexed and searched.
    public static func normalize(_ text: String) -> String {
        RumourMatching.normalize(RumourMatching.prepare(text))
    }

    /// The text the database indexes for an answer. The parts are kept apart by a character
    /// that normalising never leaves, so no trigram spans two of them.
    public static func indexText(question: String, body: String, source: String) -> String {
        [normalize(question), normalize(body), normalize(source)].joined(separator: "|")
    }

    /// What to ask the database for: the query's distinct trigrams, or, for a query of two
    /// characters, the query itself (a trigram index cannot look it up; it is scanned for).
    public static func terms(_ normalized: String) -> [String] {
        let characters = Array(normalized)
        guard characters.count >= 3 else { return characters.count == 2 ? [normalized] : [] }
        var seen: Set<String> = []
        var terms: [String] = []
        for index in 0...(characters.count - 3) {
            let trigram = String(characters[index..<index + 3])
            if seen.insert(trigram).inserted { terms.append(trigram) }
        }
        guard terms.count > maximumTerms else { return terms }
        let step = Double(terms.count) / Double(maximumTerms)
        return (0..<maximumTerms).map { terms[Int(Double($0) * step)] }
    }

    /// The query's distinct bigrams, for the fallback when no trigram of it is stored.
    public static func bigramTerms(_ normalized: String) -> [String] {
        Array(bigrams(normalized).keys).sorted().prefix(maximumTerms).map { $0 }
    }

    /// How well an answer answers `query`, from 0 to 1: mostly how much of the query's weight
    /// the stored question holds, then how alike the two questions are overall, then how much
    /// of the query the answer's text holds.
    public static func score(query: String, question: String, body: String) -> Double {
        let query = bigrams(normalize(query))
        guard !query.isEmpty else { return 0 }
        let normalizedQuestion = normalize(question)
        let asked = bigrams(normalizedQuestion)
        let answered = bigrams(normalize(body))
        let total = query.values.reduce(0, +)
        let inQuestion = query.reduce(0.0) { $0 + (asked[$1.key] != nil ? $1.value : 0) } / total
        let inBody = query.reduce(0.0) { $0 + (answered[$1.key] != nil ? $1.value : 0) } / total
        let askedTotal = asked.values.reduce(0, +)
        let dice = askedTotal > 0 ? 2 * query.reduce(0.0) { $0 + (asked[$1.key] != nil ? $1.value : 0) } / (total + askedTotal) : 0
        let score = 0.55 * inQuestion + 0.25 * dice + 0.2 * inBody
        return (min(1, score) * 1000).rounded() / 1000
    }

    /// Candidates ranked for `query`, best first, those below `minimumScore` left out; equal
    /// scores keep the order given.
    public static func rank<Key>(_ candidates: [(key: Key, question: String, body: String)], query: String) -> [(key: Key, score: Double)] {
        var scored: [(position: Int, key: Key, score: Double)] = []
        for (position, candidate) in candidates.enumerated() {
            let value = score(query: query, question: candidate.question, body: candidate.body)
            if value >= minimumScore { scored.append((position, candidate.key, value)) }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.position < $1.position }
        return scored.map { (key: $0.key, score: $0.score) }
    }

    /// Bigrams that every question has ("怎么办", "可以吗", "我家"): they count a quarter, so
    /// two questions are not alike for asking the same way.
    static let commonBigrams: Set<String> = ["怎么", "么办", "什么", "如何", "可以", "是否", "哪里", "需要", "能不", "不能", "一下", "请问", "我们", "我家",
                                             "现在", "有没", "没有", "的话", "要不", "还能", "能否", "多少", "吗"]
    static let particles: Set<Character> = ["的", "了", "吗", "呢", "吧", "啊", "呀", "么"]

    /// Each distinct bigram of a normalised text with its weight; a text of one character is
    /// its own bigram.
    static func bigrams(_ normalized: String) -> [String: Double] {
        let characters = Array(normalized)
        guard characters.count >= 2 else { return characters.first.map { [String($0): 1] } ?? [:] }
        var result: [String: Double] = [:]
        for index in 0..<(characters.count - 1) {
            let pair = characters[index...index + 1]
            let common = commonBigrams.contains(String(pair)) || pair.contains { particles.contains($0) }
            result[String(pair)] = common ? 0.25 : 1
        }
        return result
    }
}
