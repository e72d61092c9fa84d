import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The demo's answers library and notices: the questions residents of a Shanghai compound asked
/// again and again in April 2022, answered by the district, the sub-district and the committee
/// with their source, one of them past its validity (last weekend's test round); and two
/// notices, read by part of the first building. Written through the records the server's own
/// paths use, in a fixed order, so every seeding gives the same ids.
enum DemoInformation {
    enum Level { case district, subdistrict, committee, compound }

    struct Entry {
        var level: Level
        var question: String
        var answer: String
        var source: String
        var link: String?
        /// Days from now the answer stops holding (negative: already past), nil for no end.
        var untilDays: Double? = nil
    }

    static let entries: [Entry] = [
        Entry(level: .district, question: "急诊病人被医院拒绝接收怎么办？",
              answer: "先打 120，说明是急危重症，由 120 调度联系接收医院。\n同时打街道 24 小时值班电话 021-5888 0110，街道会联系区卫健委协调。\n任何医院不得以没有核酸阴性证明为由拒收急危重症病人，可先在缓冲区救治。",
              source: "区卫健委", link: "《关于做好封控期间急危重症患者救治保障工作的通知》"),
        Entry(level: .district, question: "血液透析病人怎么去医院透析？",
              answer: "居委会登记透析病人名单和透析日，街道安排专车点对点接送，往返都有人陪同。\n定点医院暂停透析时，打区卫健委透析保障专线 021-5888 0120 另行安排。",
              source: "区卫健委", link: "《封控期间血液透析患者就医保障方案》"),
        Entry(level: .district, question: "孕妇产检和临产怎么办？",
              answer: "临产、出血、腹痛或破水，立即打 120。\n按期产检请告诉居委会，街道开具就医证明并派车送到助产医院。\n孕 37 周以上的请提前向居委会报备，以便夜间用车。",
              source: "区卫健委", link: "《孕产妇就医保障告知书》"),
        Entry(level: .district, question: "家里的常用药吃完了怎么配药？",
              answer: "把药名、规格、用量和医保卡交给楼长登记，志愿者每天统一去社区卫生服务中心或医院代配。\n慢性病可开长处方，一次最多两个月的量。",
              source: "区卫健委", link: "https://wsjkw.sh.gov.cn/"),
        Entry(level: .district, question: "发烧了可以去医院吗？",
              answer: "先做抗原并告诉楼长。\n高烧不退、呼吸困难或老人儿童发烧，打 120 或街道值班电话，由医院发热门诊接诊，不要自行出门。",
              source: "区卫健委"),
        Entry(level: .district, question: "抗原检测阳性了怎么办？",
              answer: "在“随申办”上报结果并告诉楼长，全家居家不出门，等待核酸复核和转运通知。\n不要把阳性试剂丢进普通垃圾，装袋后交给楼长。",
              source: "区疫情防控办"),
        Entry(level: .district, question: "宠物主人被转运隔离了，宠物怎么办？",
              answer: "转运前告诉居委会，可以委托邻居或志愿者代养，留下钥匙和喂养说明。\n任何人不得擅自处置宠物，遇到这种情况请打街道值班电话。",
              source: "区疫情防控办", link: "《关于封控期间宠物照料的工作指引》"),
        Entry(level: .district, question: "团购需要满足什么条件才能进小区？",
              answer: "供应商要有营业执照和保供通行证，司机 48 小时内核酸阴性。\n到货在小区门口无接触交接，消杀后由志愿者按楼分发。\n团长在居委会报备，团购信息在 Linli 公示。",
              source: "区商务委", link: "《社区团购保供管理规定》"),
        Entry(level: .district, question: "政府发的保供大礼包怎么领？",
              answer: "大礼包按户发放，一户一份，由楼长和志愿者送到门口，不用下楼排队。\n漏发的请告诉楼长或打居委会电话补发。",
              source: "街道办"),
        Entry(level: .district, question: "快递和外卖能送进小区吗？",
              answer: "封控区不接收外卖和非保供快递。\n防范区的快递放在小区门口指定点位，消杀后由志愿者分送，请在收件信息里写清楼号房号。",
              source: "区疫情防控办"),
        Entry(level: .district, question: "方舱医院要带些什么？",
              answer: "身份证、手机和充电器、常用药（带够 14 天）、换洗衣服、洗漱用品、拖鞋、纸巾和一个小板凳。\n有慢性病的请带上病历。",
              source: "区卫健委"),
        Entry(level: .district, question: "密接要转运去哪里隔离？",
              answer: "密接由区里统一安排到集中隔离点，转运前会电话通知。\n家里有老人、孩子或行动不便的人，请当时告诉工作人员，安排同住或居家隔离。",
              source: "区疫情防控办"),
        Entry(level: .district, question: "心理压力大、睡不着可以找谁？",
              answer: "上海市心理援助热线 962525，24 小时有人接听。\n也可以告诉居委会，社工会上门或电话联系。",
              source: "市精神卫生中心", link: "https://www.smhc.org.cn/"),
        Entry(level: .district, question: "需要去医院化疗、放疗怎么办？",
              answer: "与透析病人一样：告诉居委会治疗日和医院，街道安排专车接送。\n医院要求的核酸证明，由街道安排上门采样。",
              source: "区卫健委"),
        Entry(level: .district, question: "婴儿奶粉和尿不湿买不到怎么办？",
              answer: "在居委会登记孩子月龄和奶粉品牌段数，街道母婴保供点统一采购送到门口。\n急需的可以在互助架上留言，邻居之间互相支援。",
              source: "街道办"),
        Entry(level: .district, question: "水电燃气费没法交会停吗？",
              answer: "封控期间不停水、不停电、不停气，欠费可以解封后再交，不收滞纳金。",
              source: "区发改委", link: "《疫情期间公用事业缴费延期公告》"),
        Entry(level: .district, question: "社区团购被骗了怎么办？",
              answer: "保留付款记录和聊天截图，打 110 报警，并向 12315 投诉。\n告诉居委会，团长和供应商会被暂停团购资格。",
              source: "区市场监管局"),
        Entry(level: .district, question: "120 打不通怎么办？",
              answer: "请继续拨打，不要挂断排队。\n同时打街道 24 小时值班电话 021-5888 0110 和居委会值班电话，情况危急也可以打 110。",
              source: "区卫健委"),
        Entry(level: .district, question: "代配药可以用医保吗？",
              answer: "可以。志愿者带医保卡代配，医保照常结算，自付部分凭小票结算给志愿者。",
              source: "区医保局"),
        Entry(level: .subdistrict, question: "核酸检测结果多久出来？查不到怎么办？",
              answer: "一般 24 小时内可在“随申办”查到。\n超过 48 小时查不到，请告诉楼长，居委会统一向检测机构查询。",
              source: "街道办"),
        Entry(level: .subdistrict, question: "独居老人没人照顾怎么办？",
              answer: "居委会有独居老人名单，每位老人都有结对志愿者，每天电话或上门问候。\n发现邻居老人有困难，请打居委会电话。",
              source: "街道办"),
        Entry(level: .subdistrict, question: "小区什么时候解封？",
              answer: "连续 14 天没有新增阳性，小区可以申请转为管控区，再 7 天没有新增转为防范区。\n以街道正式通知为准，不要相信群里的小道消息。",
              source: "街道办", link: "《封控区、管控区、防范区划分标准》"),
        Entry(level: .subdistrict, question: "员工可以返岗上班吗？",
              answer: "保供、医疗等单位的员工，由单位向街道申请白名单，审核通过后凭证明出入。\n其他员工请居家办公。",
              source: "街道办"),
        Entry(level: .subdistrict, question: "去医院看病可以叫车吗？",
              answer: "出租车和网约车暂停。就医用车打街道值班电话，由街道保障车队接送；急症打 120。",
              source: "街道办"),
        Entry(level: .subdistrict, question: "从隔离点回来以后要做什么？",
              answer: "凭解除隔离证明回到小区，居家健康监测 7 天，第 1、4、7 天做核酸。\n有发烧咳嗽请告诉楼长。",
              source: "街道办"),
        Entry(level: .subdistrict, question: "买不到菜、家里没吃的了怎么办？",
              answer: "告诉楼长或居委会，困难户会优先送保供菜包。\n小区的团购在 Linli 上可以看到，按楼下单，送到门口。",
              source: "街道办"),
        Entry(level: .committee, question: "行动不便的老人不能下楼做核酸怎么办？",
              answer: "告诉楼长，居委会安排医护人员上门采样，不用下楼。",
              source: "居委会"),
        Entry(level: .committee, question: "阳性户的垃圾怎么处理？",
              answer: "阳性户的垃圾用双层袋扎紧，喷消毒液后放在门口，由专人每天上午收走。\n不要自己扔到楼下。",
              source: "居委会"),
        Entry(level: .committee, question: "志愿者怎么报名？",
              answer: "18 到 60 岁、身体健康、核酸阴性的居民，在楼栋群里找楼长报名，或打居委会电话。\n志愿者统一培训，领防护用品后上岗。",
              source: "居委会"),
        Entry(level: .committee, question: "可以下楼散步、倒垃圾吗？",
              answer: "封控期间足不出户，垃圾放在门口由志愿者收走。\n转为防范区后，按通知分时段在小区内活动。",
              source: "居委会"),
        Entry(level: .compound, question: "本小区的快递放在哪里？",
              answer: "东门岗亭左侧的快递架，按楼号分区摆放，每天下午 4 点由志愿者送上楼。",
              source: "居委会"),
        Entry(level: .compound, question: "本周末第一轮全员核酸检测几点开始？",
              answer: "周六早上 6 点开始，按 1 号楼到 12 号楼的顺序下楼，听楼长在群里叫号，不要提前下楼排队。",
              source: "居委会", untilDays: -2),
    ]

    static func write(generator: DemoGenerator, users: [DemoAccount: UserID], printed: [PlaceID], now: Date, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        func account(_ role: RoleKind) -> (DemoAccount, UserID)? {
            generator.accounts.first { $0.role == role }.flatMap { account in users[account].map { (account, $0) } }
        }
        guard let (districtStaff, districtUser) = account(.districtStaff), let (subdistrictStaff, subdistrictUser) = account(.subdistrictStaff),
              let (committeeStaff, committeeUser) = account(.committeeStaff), let (_, officerUser) = account(.informationOfficer),
              let (compoundLead, _) = account(.compoundLead) else { return }
        let places: [Level: (PlaceID, keeper: UserID, publisher: UserID)] = [
            .district: (districtStaff.placeID, districtUser, districtUser), .subdistrict: (subdistrictStaff.placeID, subdistrictUser, subdistrictUser),
            .committee: (committeeStaff.placeID, officerUser, committeeUser), .compound: (compoundLead.placeID, officerUser, committeeUser),
        ]
        for (index, entry) in entries.enumerated() {
            guard let (place, keeper, publisher) = places[entry.level] else { continue }
            // Written over the last two weeks, the first the oldest.
            let written = now.addingTimeInterval(-Double(entries.count - index) * 9 * 3600)
            let until = entry.untilDays.map { now.addingTimeInterval($0 * 86_400) }
            let from = until.map { $0.addingTimeInterval(-5 * 86_400) }
            let draft = AnswerText(question: entry.question, body: entry.answer, source: entry.source, sourceLink: entry.link, validFrom: from, validUntil: until)
            let id = try await AnswerRecords.create(draft, placeID: place, by: keeper, now: written, engine: engine, on: db)
            try await AnswerRecords.setState(id, to: .published, by: publisher, now: written.addingTimeInterval(1800), on: db)
        }

        // Two notices; two in three households of the first building have read the test round's,
        // but not those whose codes the demo prints, so a newcomer can confirm it with one.
        let round = try await NoticeRecords.publish(
            placeID: compoundLead.placeID, title: "关于 4 月 16 日开展全员核酸检测的通知",
            body: "明天（4 月 16 日）早上 6 点起在东门广场开展全员核酸检测。\n请按楼长通知分楼栋下楼，全程佩戴口罩，保持 2 米间距。\n行动不便的居民请提前告诉楼长，安排上门采样。",
            source: "居委会", by: committeeUser, now: now.addingTimeInterval(-20 * 3600), on: db)
        _ = try await NoticeRecords.publish(
            placeID: committeeStaff.placeID, title: "关于封控期间就医绿色通道的告知",
            body: "急危重症请直接拨打 120。\n透析、化疗、孕产妇等需要定期就医的居民，请向居委会登记，街道安排专车接送。\n街道 24 小时值班电话：021-5888 0110。",
            source: "街道办", by: committeeUser, now: now.addingTimeInterval(-3 * 86_400), on: db)
        guard let leader = generator.accounts.first(where: { $0.role == .buildingLeader }) else { return }
        let doors = try await DirectoryRecords.children(of: leader.placeID, on: db).map(\.place.id).filter { !printed.contains($0) }
        for (index, household) in doors.enumerated() where index % 3 != 2 {
            _ = try await NoticeRecords.confirm(noticeID: round, householdID: household, now: now.addingTimeInterval(-Double(18 - index % 18) * 3600), on: db)
        }
    }
}
