import Foundation
import LinliCore
import Testing

@Suite("The rumour index finds what comparing with every stored report finds")
struct RumourIndexTests {
    /// Chat messages of a lockdown built from common phrases, so many share words with the
    /// rumours without being them.
    static func corpus(count: Int, seed: UInt64) -> [String] {
        let phrases = ["明天", "小区", "核酸", "检测", "居委会", "物资", "团购", "蔬菜", "超市", "医院", "封控", "解封", "快递", "志愿者", "楼长", "下楼",
                       "排队", "通知", "大家", "注意", "抗原", "阴性", "阳性", "方舱", "老人", "配药", "发放", "鸡蛋", "大米", "消杀", "门口", "几点",
                       "请问", "谢谢", "收到", "已经", "还没", "什么时候", "浦东", "浦西", "全市", "停水", "报名", "接龙", "转发", "视频"]
        var generator = SplitMix(seed: seed)
        return (0..<count).map { _ in
            let length = 4 + Int(generator.next() % 10)
            return (0..<length).map { _ in phrases[Int(generator.next() % UInt64(phrases.count))] }.joined() + (generator.next() % 3 == 0 ? "？" : "。")
        }
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("every match found by comparing with all stored reports is found through the index, with the same score")
    func indexAgreesWithBruteForce() {
        let stored = Self.corpus(count: 3_000, seed: 7) + RumourMatchingTests.pairs.map(\.a) + RumourMatchingTests.pairs.map(\.b)
        var index = RumourIndex<Int>()
        for (key, text) in stored.enumerated() { index.insert(key, text: text) }
        #expect(index.count == stored.count)
        let fingerprints = stored.map(RumourFingerprint.init)
        let queries = RumourMatchingTests.pairs.flatMap { [$0.a, $0.b] } + Self.corpus(count: 40, seed: 99)
        for query in queries {
            let probe = RumourFingerprint(query)
            var expected: [Int: Double] = [:]
            for (key, fingerprint) in fingerprints.enumerated() {
                let score = RumourMatching.score(probe, fingerprint)
                if RumourMatching.decision(for: score) != .different { expected[key] = score }
            }
            let found = Dictionary(index.matches(for: probe).map { ($0.key, $0.score) }, uniquingKeysWith: max)
            // The index scores at most `candidates` entries: when more match, it keeps the best.
            if expected.count <= RumourIndex<Int>.candidates {
                #expect(found == expected, "\(query): \(expected.count) matches, index found \(found.count)")
            } else {
                #expect(found.count == RumourIndex<Int>.candidates)
            }
        }
    }

    @Test("a report matches its forwarded copy and its link, not its opposite")
    func findsVariants() {
        var index = RumourIndex<String>()
        index.insert("closure", text: RumourMatchingTests.closure)
        index.insert("opposite", text: "浦东新区明天起超市正常开放，不用囤菜")
        index.insert("video", text: "https://www.douyin.com/video/7081234567890 居委会私分物资")
        #expect(index.matches(for: "【转发】" + RumourMatchingTests.closure).map(\.key) == ["closure"])
        #expect(index.matches(for: "douyin.com/video/7081234567890").first?.decision == .same)
        #expect(index.matches(for: "收到，谢谢").isEmpty)
    }
}
