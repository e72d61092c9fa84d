import Foundation
import LinliCore
import Testing

@Suite("Rumour matching: forwarded variants of a claim match, the opposite claim and official notices on the subject do not")
struct RumourMatchingTests {
    enum Expected: CustomStringConvertible {
        /// Attached on its own: the same text in other clothes.
        case same
        /// A real variant: matched, attached or suggested to a person.
        case match
        case different

        func accepts(_ decision: RumourDecision) -> Bool {
            switch self {
            case .same: decision == .same
            case .match: decision != .different
            case .different: decision == .different
            }
        }

        var description: String {
            switch self {
            case .same: "same"
            case .match: "same or suggest"
            case .different: "different"
            }
        }
    }

    static let closure = "浦东新区明天起全域封控，所有超市关门，大家赶紧去囤菜！"
    static let supplies = "居委会把政府发的救济物资私分了，自己人先拿，视频为证，大家转发！"
    static let hospital = "仁济医院已经不接收急诊病人了，有急病的别去了"
    static let remedy = "每天熏白醋、喝板蓝根可以预防新冠，专家说的"
    static let water = "明天全市停水停电三天，赶快储水"
    static let cabin = "抗原阳性的全家都要拉去方舱，家里老人小孩也要去"
    static let fee = "从下周开始核酸检测要收费了，每次40元"
    static let parcels = "封控小区的快递全部停止配送，买了也送不进来"

    static let pairs: [(a: String, b: String, expected: Expected)] = [
        // Punctuation, emoji, forwarding prefixes, full width, traditional characters, spaces.
        (closure, "浦东新区明天起全域封控!!所有超市关门😱😱大家赶紧去囤菜", .same),
        (closure, "【转发】浦东新区明天起全域封控，所有超市关门，大家赶紧去囤菜！", .same),
        (closure, "转：浦东新区明天起全域封控，所有超市关门，大家赶紧去囤菜", .same),
        (closure, "浦東新區明天起全域封控，所有超市關門，大家趕緊去囤菜！", .same),
        (closure, "浦 东 新 区 明 天 起 全 域 封 控 ， 所 有 超 市 关 门 ， 大 家 赶 紧 去 囤 菜", .same),
        (closure, "浦东新区明天起全域封控。所有超市关门。大家赶紧去囤菜。。。", .same),
        (closure, "【扩散】浦东新区明天起全域封控，所有超市关门，大家赶紧去囤菜！！！🙏", .same),
        // Small edits and a short version.
        (closure, "浦东新区明天开始全域封控，所有超市都关门，大家快去囤菜", .match),
        (closure, "明天起浦东全域封控，超市全部关门，赶紧囤菜", .match),
        (closure, "浦东新区明天起全域封控，所有超市关门", .match),
        (closure, "听说浦东新区明天起全域封控，所有超市关门，大家赶紧去囤菜，我朋友在区里上班", .match),
        // The opposite claim, the same subject with another claim, the official notice.
        (closure, "浦东新区明天起超市正常开放，不用囤菜", .different),
        (closure, "浦东新区明天起所有超市正常营业，大家不要去囤菜", .different),
        (closure, "浦东新区明天起全域核酸检测，请居民下楼排队", .different),
        (closure, "关于浦东新区实施全域静态管理的通告：自明日起实施静态管理，超市等保供场所正常营业。特此通告。浦东新区疫情防控指挥部", .different),
        (closure, "浦西明天有没有封控？谁知道", .different),

        (supplies, "【转发】居委会把政府发的救济物资私分了，自己人先拿，视频为证，大家转发！", .same),
        (supplies, "居委會把政府發的救濟物資私分了，自己人先拿，視頻為證，大家轉發！", .match),
        (supplies, "居委会把政府发的救济物资私分了😡😡自己人先拿 视频为证 大家转发", .same),
        (supplies, "居委会把救济物资私分了，自己人先拿，有视频", .match),
        (supplies, "居委会私分政府救济物资，自己人先拿", .match),
        (supplies, "居委会没有私分救济物资，视频里是分拣后装车", .different),
        (supplies, "居委会今天下午把政府发的救济物资按户发到各楼，请楼长签收", .different),
        (supplies, "关于救济物资发放情况的说明：本居委会收到区政府救济物资3000份，已全部按户发放，明细见公示。特此通知", .different),

        (hospital, "转:仁济医院已经不接收急诊病人了，有急病的别去了", .same),
        (hospital, "仁濟醫院已經不接收急診病人了，有急病的別去了", .match),
        (hospital, "仁济医院已经不接收急诊病人了!!!有急病的别去了!!!", .same),
        (hospital, "仁济医院不接收急诊病人了，有急病别去", .match),
        (hospital, "仁济医院急诊正常接诊，有急病的可以去", .different),
        (hospital, "仁济医院已经恢复门诊，有急病的可以去", .different),
        (hospital, "东方医院的发热门诊在哪里？", .different),

        (remedy, "【转】每天熏白醋、喝板蓝根可以预防新冠，专家说的", .same),
        (remedy, "每天熏白醋喝板蓝根可以预防新冠 专家说的👍", .same),
        (remedy, "熏白醋、喝板蓝根可以预防新冠", .match),
        (remedy, "每天熏白醋、喝板蓝根不能预防新冠，专家说的", .different),
        (remedy, "板蓝根今天团购，每盒15元，需要的接龙", .different),

        (water, "紧急通知：明天全市停水停电三天，赶快储水", .same),
        (water, "明天全市停水停电3天，赶快储水！！", .match),
        (water, "明天全市停水停电三天，赶快储水 http://t.cn/abc", .same),
        (water, "明天全市不会停水停电，不用储水", .different),
        (water, "明天上午9点到11点，3号楼停水检修，请提前储水", .different),

        (cabin, "抗原阳性的全家都要拉去方舱，家里老人小孩也要去！！转发给家人", .match),
        (cabin, "抗原陽性的全家都要拉去方艙，家裡老人小孩也要去", .match),
        (cabin, "抗原阳性全家都要去方舱，老人小孩也不例外", .match),
        (cabin, "抗原阳性的不用全家去方舱，家里老人小孩可以居家", .different),
        (cabin, "抗原阴性的全家都要去方舱", .different),

        (fee, "从下周开始核酸检测要收费了 每次40元", .same),
        (fee, "下周起核酸检测收费，每次40块", .match),
        (fee, "核酸检测继续免费，不收费", .different),
        (fee, "从下周开始核酸检测点位调整，请看通知", .different),

        (parcels, "封控小区的快递全部停止配送,买了也送不进来", .same),
        (parcels, "封控小区快递全部停止配送，买了也送不进来的", .match),
        (parcels, "封控小区的快递恢复配送，放在小区门口自取", .different),
        (parcels, "封控小区的快递如何消杀？放门口晾一天可以吗", .different),

        // The same link is the same report, whatever is written around it.
        ("看看这个 http://mp.weixin.qq.com/s/Xy12AbCdEf?from=groupmessage", "https://mp.weixin.qq.com/s/Xy12AbCdEf 太吓人了", .same),
        ("https://www.douyin.com/video/7081234567890 居委会私分物资", "douyin.com/video/7081234567890", .same),
        ("https://mp.weixin.qq.com/s/Xy12AbCdEf", "https://mp.weixin.qq.com/s/Zz99QqRrSs", .different),

        // Unrelated claims, and too little text to say.
        (closure, supplies, .different),
        (hospital, cabin, .different),
        (fee, water, .different),
        ("好的", "好的", .same),
        ("收到", "谢谢", .different),
        ("", closure, .different),
    ]

    @Test("each realistic pair gets its expected decision")
    func pairsDecideRight() {
        #expect(Self.pairs.count >= 60)
        var wrong: [String] = []
        for (a, b, expected) in Self.pairs {
            let result = RumourMatching.compare(a, b)
            if ProcessInfo.processInfo.environment["LINLI_RUMOUR_SCORES"] != nil { print("SCORE \(result.score) \(expected) \(a.prefix(12)) | \(b.prefix(24))") }
            if !expected.accepts(result.decision) {
                wrong.append("\(result.score) \(result.decision) (expected \(expected)): \(a) | \(b)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(Self.pairs.count) wrong:\n\(wrong.joined(separator: "\n"))")
    }

    @Test("the score is symmetric, between 0 and 1, and 1 for a text against itself")
    func scoreProperties() {
        for (a, b, _) in Self.pairs {
            let forward = RumourMatching.compare(a, b).score
            #expect(forward == RumourMatching.compare(b, a).score, "\(a) | \(b)")
            #expect((0...1).contains(forward))
            if !RumourFingerprint(a).normalized.isEmpty { #expect(RumourMatching.compare(a, a).score == 1) }
        }
    }

    @Test("identical texts after normalising share a hash; traditional, full-width and spaced-out forms fold")
    func normalisedHash() {
        let plain = RumourFingerprint(Self.closure)
        #expect(RumourFingerprint("【转发】" + Self.closure + "😱").hash == plain.hash)
        #expect(RumourFingerprint("浦 东 新 区 明 天 起 全 域 封 控 ， 所 有 超 市 关 门 ， 大 家 赶 紧 去 囤 菜 ！").hash == plain.hash)
        #expect(RumourFingerprint("ＡＢＣ１２３").normalized == "abc123")
        #expect(TraditionalChinese.fold("居委會把物資發給長者") == "居委会把物资发给长者")
        #expect(RumourFingerprint(Self.closure).hash != RumourFingerprint(Self.supplies).hash)
    }

    @Test("any text, however long or odd, compares without trapping")
    func oddInput() {
        let odd = [String(repeating: "封", count: 50_000), "\u{0}\u{1F600}\u{200B}", "🙏🙏🙏", "http://", String(repeating: "a b ", count: 3000)]
        for a in odd {
            for b in odd + [Self.closure] {
                let result = RumourMatching.compare(a, b)
                #expect((0...1).contains(result.score))
            }
        }
    }
}
