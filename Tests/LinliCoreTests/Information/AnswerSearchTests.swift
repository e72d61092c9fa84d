import Foundation
import LinliCore
import Testing

@Suite("Answer search: a resident's own words find the stored question")
struct AnswerSearchTests {
    /// Questions as a sub-district's library holds them.
    static let library = [
        "急诊病人被医院拒绝接收怎么办？",
        "孕妇产检和临产怎么办？",
        "血液透析病人怎么去医院透析？",
        "家里的常用药吃完了怎么配药？",
        "120 打不通怎么办？",
        "发烧了可以去医院吗？",
        "宠物主人被转运隔离了，宠物怎么办？",
        "政府发的保供大礼包怎么领？",
        "团购需要满足什么条件才能进小区？",
        "需要去医院化疗、放疗怎么办？",
    ]

    func best(_ query: String) -> String? {
        AnswerSearch.rank(Self.library.map { (key: $0, question: $0, body: "") }, query: query).first?.key
    }

    @Test("a paraphrase finds its question first", arguments: [
        ("医院拒收急诊病人怎么办", "急诊病人被医院拒绝接收怎么办？"),
        ("醫院拒收急診病人怎麼辦", "急诊病人被医院拒绝接收怎么办？"),
        ("临产了怎么办", "孕妇产检和临产怎么办？"),
        ("做透析怎么去医院", "血液透析病人怎么去医院透析？"),
        ("降压药吃完了", "家里的常用药吃完了怎么配药？"),
        ("猫没人喂了，主人被转运", "宠物主人被转运隔离了，宠物怎么办？"),
        ("大礼包在哪领", "政府发的保供大礼包怎么领？"),
    ])
    func paraphrase(query: String, expected: String) {
        #expect(best(query) == expected)
    }

    @Test("two characters are enough")
    func shortQuery() {
        #expect(best("透析") == "血液透析病人怎么去医院透析？")
        #expect(AnswerSearch.terms(AnswerSearch.normalize("透析")) == ["透析"])
        #expect(AnswerSearch.terms(AnswerSearch.normalize("药")).isEmpty)
    }

    @Test("sharing only the words every question has is not a match")
    func commonWords() {
        #expect(AnswerSearch.score(query: "孩子哭闹怎么办", question: "120 打不通怎么办？", body: "") < AnswerSearch.minimumScore)
        #expect(AnswerSearch.rank(Self.library.map { (key: $0, question: $0, body: "") }, query: "股票怎么买").isEmpty)
    }

    @Test("the answer's text counts, less than the question")
    func bodyCounts() {
        let inBody = AnswerSearch.score(query: "医保卡", question: "代配药怎么结算？", body: "志愿者带医保卡代配")
        let inQuestion = AnswerSearch.score(query: "医保卡", question: "医保卡丢了怎么办？", body: "")
        #expect(inBody > 0 && inBody < inQuestion)
    }

    @Test("indexed and searched text are folded alike: width, case, traditional characters, punctuation")
    func normalizing() {
        #expect(AnswerSearch.normalize("醫院　ＡＢＣ，急診！") == "医院abc急诊")
        #expect(AnswerSearch.indexText(question: "問題？", body: "答覆。", source: "區衛健委") == "问题|答覆|区卫健委")
    }

    @Test("a long query sends a bounded number of trigrams, evenly sampled")
    func boundedTerms() {
        let long = String(repeating: "急诊病人被医院拒绝接收怎么办孕妇产检和临产", count: 5)
        let terms = AnswerSearch.terms(AnswerSearch.normalize(long))
        #expect(terms.count <= AnswerSearch.maximumTerms && terms.allSatisfy { $0.count == 3 })
        #expect(Set(terms).count == terms.count)
    }
}
