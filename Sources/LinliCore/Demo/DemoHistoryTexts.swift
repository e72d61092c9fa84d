/// What the demo's households ask for and what volunteers write beside each step: demo data,
/// in Chinese as the residents and volunteers of a Shanghai compound wrote it in 2022. The
/// urgency of each need is not set here: `UrgencyRules` proposes it from the words and the
/// household's care register, as the intake does.
enum DemoHistoryTexts {
    /// Who a need fits, so a description matches the household it is filed for.
    enum Fit {
        case anyone
        /// A resident whose health or disability note contains this.
        case careNote(String)
        /// One resident, 65 or older.
        case livesAlone
        /// A resident aged 75 or older.
        case elderly
        /// A child under one.
        case infant
        /// A child under six.
        case youngChild
    }

    struct Need {
        var category: RequestCategory
        var text: String
        var fit: Fit
    }

    static let needs: [Need] = [
        // Medicine: most needs of a locked-down compound were prescriptions running out.
        Need(category: .medicine, text: "需要降压药（硝苯地平控释片），家里只剩两天的量", fit: .careNote("高血压")),
        Need(category: .medicine, text: "老伴的降压药（苯磺酸氨氯地平片）吃完了，社区医院能配到吗", fit: .careNote("高血压")),
        Need(category: .medicine, text: "厄贝沙坦片还剩3天，麻烦帮忙去社区卫生服务中心配一个月的量", fit: .careNote("高血压")),
        Need(category: .medicine, text: "二甲双胍缓释片还剩3天，麻烦帮忙配两盒", fit: .careNote("糖尿病")),
        Need(category: .medicine, text: "血糖试纸用完了，需要罗氏的试纸（50片装）", fit: .careNote("糖尿病")),
        Need(category: .medicine, text: "门冬胰岛素笔芯只剩最后一支，请帮忙去医院配药", fit: .careNote("胰岛素")),
        Need(category: .medicine, text: "父亲冠心病，单硝酸异山梨酯缓释片和阿司匹林肠溶片需要续配，还能吃一周", fit: .careNote("冠心病")),
        Need(category: .medicine, text: "速效救心丸快用完了，家里老人有冠心病", fit: .careNote("冠心病")),
        Need(category: .medicine, text: "沙丁胺醇气雾剂快用完了，晚上咳得厉害时要用", fit: .careNote("慢阻肺")),
        Need(category: .medicine, text: "儿子长期服用奥氮平，药只够三天了，精神卫生中心能代配吗", fit: .careNote("精神类")),
        Need(category: .medicine, text: "透析要用的促红素针剂需要续配，医院说可以代配", fit: .careNote("血透")),
        Need(category: .medicine, text: "化疗后的止吐药（昂丹司琼片）吃完了，下周还要化疗", fit: .careNote("化疗")),
        Need(category: .medicine, text: "老人的眼药水（玻璃酸钠滴眼液）用完了，能帮忙配一支吗", fit: .elderly),
        Need(category: .medicine, text: "孩子咳嗽三天了，想配点止咳糖浆（肺力咳）", fit: .youngChild),
        Need(category: .medicine, text: "家里退烧药没了，想要一盒布洛芬", fit: .anyone),
        Need(category: .medicine, text: "需要一瓶碘伏和一盒创可贴，老人切菜划破了手", fit: .anyone),
        Need(category: .medicine, text: "感冒鼻塞，想配点感冒药（复方氨酚烷胺片）", fit: .anyone),

        // Emergencies: the calls a building leader never forgets.
        Need(category: .emergencyMedical, text: "父亲突然胸闷、出冷汗，120一直打不通", fit: .elderly),
        Need(category: .emergencyMedical, text: "老人在卫生间摔倒了，腿不能动，需要联系120", fit: .elderly),
        Need(category: .emergencyMedical, text: "母亲说话不清楚、嘴歪，怀疑中风，请帮忙叫救护车", fit: .elderly),
        Need(category: .emergencyMedical, text: "宝宝8个月，昨晚开始发烧39度，需要去儿科医院", fit: .infant),
        Need(category: .emergencyMedical, text: "孩子哮喘发作，家里的喷雾不管用了", fit: .careNote("哮喘")),
        Need(category: .emergencyMedical, text: "手被玻璃划了很深的口子，流血不止", fit: .anyone),
        Need(category: .emergencyMedical, text: "家里老人发烧39度两天了，社区医院不接诊", fit: .anyone),

        // Food.
        Need(category: .food, text: "独居老人，需要送两天的菜", fit: .livesAlone),
        Need(category: .food, text: "独居老人不会用手机抢菜，麻烦帮忙订一份保供蔬菜包", fit: .livesAlone),
        Need(category: .food, text: "老两口不会用手机抢菜，麻烦帮忙订一份蔬菜包", fit: .elderly),
        Need(category: .food, text: "老人牙口不好，想要点挂面、鸡蛋和豆腐", fit: .elderly),
        Need(category: .food, text: "孩子的奶粉（飞鹤星飞帆3段）只剩两天的量", fit: .youngChild),
        Need(category: .food, text: "糖尿病人，需要无糖食品和新鲜蔬菜", fit: .careNote("糖尿病")),
        Need(category: .food, text: "家里米和油都没有了，一家三口，能不能先送一点", fit: .anyone),
        Need(category: .food, text: "需要鸡蛋和挂面，钱可以微信转给志愿者", fit: .anyone),
        Need(category: .food, text: "冰箱空了，想参加这周的蔬菜团购", fit: .anyone),
        Need(category: .food, text: "家里只剩方便面了，想要点新鲜蔬菜和肉", fit: .anyone),

        // Daily supplies.
        Need(category: .dailySupplies, text: "卫生纸和洗衣液都用完了，小区超市关着，能不能帮忙团购一点", fit: .anyone),
        Need(category: .dailySupplies, text: "燃气卡余额不足，需要帮忙去营业厅充值，家里快没气做饭了", fit: .anyone),
        Need(category: .dailySupplies, text: "猫粮快没了，能不能帮忙带一袋（5斤装）", fit: .anyone),
        Need(category: .dailySupplies, text: "家里的垃圾袋和洗洁精用完了", fit: .anyone),
        Need(category: .dailySupplies, text: "家里老人卧床，成人纸尿裤（L号）只剩一包", fit: .careNote("卧床")),
        Need(category: .dailySupplies, text: "宝宝的纸尿裤（XL号）只剩最后几片了", fit: .youngChild),

        // Testing.
        Need(category: .testing, text: "老人卧床，没法下楼做核酸，请安排上门采样", fit: .careNote("卧床")),
        Need(category: .testing, text: "老人坐轮椅，下不了楼，请安排上门核酸", fit: .careNote("轮椅")),
        Need(category: .testing, text: "抗原试剂用完了，需要再领一盒", fit: .anyone),
        Need(category: .testing, text: "昨天抗原两条杠，需要上报并安排复核", fit: .anyone),
        Need(category: .testing, text: "前天的核酸结果一直没出来，需要帮忙查一下", fit: .anyone),

        // Transport.
        Need(category: .transport, text: "下午要去仁济医院血透，保障车还没联系上", fit: .careNote("血透")),
        Need(category: .transport, text: "孕32周，后天要去国际妇幼产检，需要车", fit: .careNote("孕")),
        Need(category: .transport, text: "周四要去肿瘤医院化疗，需要车和通行证", fit: .careNote("化疗")),
        Need(category: .transport, text: "出院回家，需要从东方医院接回小区", fit: .anyone),
        Need(category: .transport, text: "老人复诊，需要送去曙光医院", fit: .elderly),

        // Everything else a committee is asked.
        Need(category: .other, text: "楼道灯坏了，晚上下楼做核酸看不见", fit: .anyone),
        Need(category: .other, text: "家里水管漏水，楼下在滴水，需要物业来修", fit: .anyone),
        Need(category: .other, text: "门上贴的户码被撕掉了，需要重新打印一张", fit: .anyone),
        Need(category: .other, text: "隔壁独居老人两天没开门，电话也不接，麻烦去看看", fit: .anyone),
        Need(category: .other, text: "楼下垃圾两天没人清运了，味道很大", fit: .anyone),
    ]

    // MARK: Notes beside the steps

    static func acceptNotes(_ category: RequestCategory) -> [String] {
        switch category {
        case .medicine: ["已电话确认药名和剂量，下午去社区卫生服务中心配药", "处方已拍照，明天一早去药房", "收到，已联系家庭医生开处方"]
        case .emergencyMedical: ["已打120并联系了家属，马上到", "正在赶过去，请保持电话畅通"]
        case .food: ["收到，联系了保供超市，今晚送到", "已加入这周的蔬菜团购，明天到货"]
        case .dailySupplies: ["收到，明天团购到货后送上门", "已问过小区超市，有货"]
        case .testing: ["明早8点医护上门采样，请在家等候", "已报居委会，安排上门"]
        case .transport: ["已联系街道保障车，出发前电话联系", "出门证明已开好"]
        case .other: ["已报物业", "收到，我去看看"]
        }
    }

    static func startNotes(_ category: RequestCategory) -> [String] {
        switch category {
        case .medicine: ["在花木社区卫生服务中心排队配药", "在东方医院药房排队，前面还有三十多人"]
        case .emergencyMedical: ["120已到小区门口，正在带路"]
        case .food: ["菜到了，正在分装", "出发送菜"]
        case .dailySupplies: ["到货了，正在送"]
        case .testing: ["医护已上楼"]
        case .transport: ["车已到楼下"]
        case .other: ["物业电工下午上门", "正在上楼查看"]
        }
    }

    static func doneNotes(_ category: RequestCategory) -> [String] {
        switch category {
        case .medicine: ["药已送到门口，老人已确认收到", "已送到，药房只有10盒，先配了两周的量"]
        case .emergencyMedical: ["已送医，家属陪同"]
        case .food: ["菜已放在门口，已电话告知", "米和油已送到"]
        case .dailySupplies: ["已送到门口"]
        case .testing: ["已上门采样，结果24小时内出"]
        case .transport: ["已安全送到医院，回程也安排好了"]
        case .other: ["已修好", "已上门看过，老人没事，是手机没电了"]
        }
    }

    static let householdThanks = ["收到了，谢谢志愿者！", "东西收到了，辛苦了", "收到，谢谢"]

    static let householdCancels = ["家里人已经从网上买到了", "不需要了，邻居帮忙了"]
    static let staffCancels = ["重复登记，已合并到同户的上一条", "住户电话确认不需要了"]

    static func unableReasons(_ category: RequestCategory) -> [String] {
        switch category {
        case .medicine: ["社区医院和两家药房都缺货，已上报街道药品保障专班", "处方过期，需要家庭医生重新开，已转告家属"]
        case .transport, .emergencyMedical: ["保障车都在外面，已联系120转运"]
        default: ["小区封控，外面的东西进不来，已上报居委会"]
        }
    }

    static func resolvedElsewhereReasons(_ category: RequestCategory) -> [String] {
        switch category {
        case .medicine: ["家属通过医院互联网门诊配到了，快递已送达"]
        case .food, .dailySupplies: ["邻居从互助架上分了两天的菜", "楼里邻居已经帮忙送过去了"]
        default: ["家属自己解决了"]
        }
    }

    static func reopenReasons(_ category: RequestCategory) -> [String] {
        switch category {
        case .medicine: ["送来的是氨氯地平，医生开的是硝苯地平控释片，麻烦再跑一趟"]
        case .food: ["菜收到了，但少了一袋米"]
        default: ["还是没有解决，麻烦再看看"]
        }
    }

    static let urgencyRaised = ["电话里老人说已经一天没吃东西了", "家属说老人情况变差了", "底册：独居，行动不便"]
}
