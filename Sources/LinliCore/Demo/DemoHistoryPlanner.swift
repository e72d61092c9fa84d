import Foundation

/// Writes the demo's two weeks: a few scripted requests that show each thing Linli does (a
/// reopened prescription, a ride handed to the district, a request climbing to the
/// sub-district, overdue ones), a pasted chain list, and a daily stream of ordinary needs.
///
/// Each request is filed as the intake would file it and then lived through step by step with
/// the request's own rules; a deadline that passes before the next step escalates it a second
/// later, as the escalation job does. A request is kept only if it never overlaps another open
/// request of its household and kind (the intake would refuse it), and if it does not leave
/// open a kind a tester needs free (`isKeptFree`).
struct DemoHistoryPlanner {
    let world: DemoWorld
    let now: Date
    let policy = DeadlinePolicy.standard
    let routing = RequestRouting.standard
    let householdsWithCodes: [PlaceID]
    private(set) var webhookTargets: [DemoWebhookTarget] = []
    private(set) var chainList: DemoChainListPaste?
    private var random: DemoRandom
    private var planned: [PlannedRequest] = []
    private var openSpans: [OpenKindKey: [ClosedRange<Date>]] = [:]
    private let candidates: [RoutingCandidate]

    static let minute: TimeInterval = 60
    static let hour: TimeInterval = 3_600
    static let day: TimeInterval = 86_400
    /// Shanghai's offset from UTC; China has kept no daylight saving time since 1991.
    static let shanghaiOffset: TimeInterval = 8 * hour

    /// Filings on each of the 14 days, the oldest first: a lockdown's first week climbs as
    /// stocks run out, then falls as group buying and the committee's runs settle in. Scaled by
    /// ±20 % per seed.
    static let filingsPerDay = [5, 8, 11, 13, 15, 14, 13, 12, 11, 10, 10, 9, 8, 8]
    /// Filings by hour of the day (Shanghai time): mornings after the 7 o'clock test round and
    /// evenings when the day's stock is known.
    static let filingHours = WeightedPick([1, 0, 0, 0, 0, 1, 3, 8, 10, 9, 7, 6, 6, 5, 5, 5, 5, 6, 7, 9, 9, 7, 4, 2])
    /// In `RequestCategory.allCases` order: medicine, emergency medical, food, daily supplies,
    /// testing, transport, other.
    static let categoryWeights = WeightedPick([28, 4, 26, 14, 10, 6, 12])

    init(world: DemoWorld, seed: UInt64, householdsWithCodes: [PlaceID], now: Date) {
        self.world = world
        self.now = now
        self.householdsWithCodes = householdsWithCodes
        random = DemoRandom(seed: seed, stream: DemoLayout.historyStream)
        candidates = world.staff.map { RoutingCandidate(userID: $0.userID, role: $0.role, placeID: $0.placeID) }
    }

    var storyStart: Date { DemoHistory.startsAt(now: now) }
    var runnerCaughtUpTo: Date { now.addingTimeInterval(-DemoHistory.runnerBacklog) }

    mutating func plan() {
        guard !world.staff.isEmpty, let firstCompound = world.compounds.first else { return }
        planWebhookTargets()
        planChainList(in: firstCompound)
        planScripted()
        for daysBack in stride(from: DemoHistory.days - 1, through: 0, by: -1) {
            let base = Self.filingsPerDay[DemoHistory.days - 1 - daysBack]
            let count = base + random.int(in: -(base / 5)...(base / 5))
            let start = dayStart(daysBack: daysBack)
            for _ in 0..<count {
                let hour = Self.filingHours.pick(&random)
                let filedAt = start.addingTimeInterval(TimeInterval(hour) * Self.hour + TimeInterval(random.below(3_600)))
                // Filed in the last minute or later: today's story has not got there yet.
                guard filedAt < now.addingTimeInterval(-Self.minute) else { continue }
                planOrdinary(at: filedAt)
            }
        }
    }

    /// The events, requests numbered in filing order.
    func events() -> [DemoHistoryEvent] {
        let order = planned.indices.sorted { (planned[$0].filing.request.createdAt, $0) < (planned[$1].filing.request.createdAt, $1) }
        var timed: [(at: Date, id: Int64, step: Int, event: DemoHistoryEvent)] = []
        for (position, index) in order.enumerated() {
            let id = HelpRequestID(Int64(position + 1))
            var filing = planned[index].filing
            filing.request.id = id
            timed.append((filing.request.createdAt, id.rawValue, 0, .filed(filing)))
            for (step, recorded) in planned[index].changes.enumerated() {
                var change = recorded.change
                change.request.id = id
                change.transition.requestID = id
                var before = recorded.before
                before.id = id
                timed.append((change.transition.at, id.rawValue, step + 1, .changed(change, before: before)))
            }
        }
        timed.sort { ($0.at, $0.id, $0.step) < ($1.at, $1.id, $1.step) }
        return timed.map(\.event)
    }

    // MARK: - The story's parts

    /// Two group robots of the second compound's volunteers: a WeCom robot that works and a
    /// DingTalk robot whose secret was pasted wrong, so the outbox shows deliveries and dead
    /// letters. Their hosts are under `.invalid`, a name that never resolves (RFC 2606): a demo
    /// server that sends to them reaches nobody.
    private mutating func planWebhookTargets() {
        guard let admin = world.member(.admin) ?? world.staff.first else { return }
        let place = (world.compounds.count > 1 ? world.compounds[1] : world.compounds[0]).id
        let addedAt = storyStart.addingTimeInterval(Self.hour)
        webhookTargets = [
            DemoWebhookTarget(
                placeID: place, target: .wecom(url: "https://wecom.linli-demo.invalid/cgi-bin/webhook/send?key=demo"),
                reply: #"{"errcode":0,"errmsg":"ok"}"#, addedBy: admin.userID, addedAt: addedAt
            ),
            DemoWebhookTarget(
                placeID: place, target: .dingtalk(url: "https://dingtalk.linli-demo.invalid/robot/send?access_token=demo", secret: "SEC5d1f0c8e7a2b4c6d9e3f1a0b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9"),
                reply: #"{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}"#,
                addedBy: admin.userID, addedAt: addedAt.addingTimeInterval(5 * Self.minute)
            ),
        ]
    }

    /// A vegetable-box chain the group-buy leader pasted four days ago: most lines name a flat
    /// of the compound, one names nobody's address, one a building the compound does not have.
    /// The boxes came the next day; one neighbour had bought elsewhere meanwhile.
    private mutating func planChainList(in compound: Place) {
        guard let lead = world.member(.groupBuyLeader) ?? world.member(.compoundLead) ?? world.staff.first else { return }
        let leaderBuildings = Set(world.staff.filter { $0.role == .buildingLeader }.map(\.placeID))
        var pool = world.households(in: compound).filter { !leaderBuildings.contains($0.buildingID) }
        guard pool.count >= 5 else { return }
        var picked: [Household] = []
        while picked.count < 5 {
            picked.append(pool.remove(at: random.below(pool.count)))
        }
        func building(_ household: Household) -> String { world.places[household.buildingID]?.code ?? "" }
        func surname(_ household: Household) -> String { String(world.residents[household.id]?.first?.name.prefix(1) ?? "王") }
        let missingBuilding = (world.buildings[compound.id]?.count ?? 0) + 6
        let lines = [
            "#接龙 \(compound.name)保供蔬菜包 68元一份",
            "例 1号楼-101 张 1份",
            "1. \(building(picked[0]))号楼-\(picked[0].room) \(surname(picked[0])) 2份 已付",
            "2. \(building(picked[1]))-\(picked[1].room) \(surname(picked[1]))阿姨 1份",
            "3. \(building(picked[2]))号楼\(picked[2].room) \(surname(picked[2])) 1份 已付",
            "4. 王奶奶 1份",
            "5. \(building(picked[3]))-\(picked[3].room) \(surname(picked[3])) 1份 放门口",
            "6. \(building(picked[4]))号楼-\(picked[4].room) \(surname(picked[4]))老师 2份 已付",
            "7. \(missingBuilding)号楼-101 孙 1份",
        ]
        let message = lines.joined(separator: "\n")
        let pastedAt = dayStart(daysBack: 4).addingTimeInterval(10 * Self.hour + 5 * Self.minute)
        guard pastedAt < now else { return }
        // As the chain-list page reads a paste: the parser's numbered lines, each line's own text.
        let numbered = ChainListParser.lines(of: message).map(String.init)
        var unmatched: [Int] = []
        var filed = 0
        for result in ChainListParser.parse(message) {
            let line = numbered.indices.contains(result.line - 1) ? numbered[result.line - 1] : ""
            guard case .entry(let entry) = result, let household = matchChainListEntry(entry, line: line, in: compound) else {
                unmatched.append(result.line)
                continue
            }
            // Filed one after another through the intake, a few milliseconds apart.
            let filedAt = pastedAt.addingTimeInterval(Double(filed) * 0.05)
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            let request = filedRequest(household, .food, text, resident: nil, by: .user(id: lead.userID), channel: .chainListImport, at: filedAt)
            let boxesCame = 20 * Self.hour + TimeInterval(random.below(60)) * Self.minute
            let steps: [(TimeInterval, Step)] = filed == 2
                ? [(Self.hour, .accept(note: "蔬菜包明天到货，到货后统一配送")), (5 * Self.hour, .cancel(byHousehold: true, reason: "邻居帮忙买到了，不要了"))]
                : [
                    (Self.hour, .accept(note: "蔬菜包明天到货，到货后统一配送")), (boxesCame, .start(note: "蔬菜包到了，正在分装")),
                    (boxesCame + TimeInterval(1 + filed) * 20 * Self.minute, .complete(byHousehold: false, note: "已送到门口")),
                ]
            if keep(request, household: household, chainListLine: entry.line, steps: steps) { filed += 1 }
        }
        chainList = DemoChainListPaste(message: message, placeID: compound.id, by: lead.userID, at: pastedAt, category: .food, unmatchedLines: unmatched)
    }

    /// The household a chain-list line names, as the chain-list page matches it: the building
    /// by its code or name and the room, under the compound, and no other compound named.
    private func matchChainListEntry(_ entry: ChainListEntry, line: String, in compound: Place) -> Household? {
        let found = world.households(in: compound).filter { household in
            guard household.room == entry.room, let building = world.places[household.buildingID] else { return false }
            return building.code == entry.building || building.name == entry.building || building.name == entry.building + "号楼"
        }
        guard found.count == 1, !ChainListCompound.namesAnother(line, than: compound.name) else { return nil }
        return found[0]
    }

    /// The requests that show each part of Linli at least once, whatever the seed.
    private mutating func planScripted() {
        let compounds = world.compounds
        let leaders = world.staff.filter { $0.role == .buildingLeader }
        let withCodes = householdsWithCodes.compactMap { world.householdByID[$0] }
        let codeSet = Set(householdsWithCodes)
        func households(ofLeader index: Int) -> [Household] {
            guard index < leaders.count else { return [] }
            return (world.households[leaders[index].placeID] ?? []).filter { !codeSet.contains($0.id) }
        }
        let leaderBuildings = Set(leaders.map(\.placeID))
        let dutyTeam = compounds.first.map { world.households(in: $0).filter { !leaderBuildings.contains($0.buildingID) } } ?? []
        let second = compounds.count > 1 ? world.households(in: compounds[1]) : dutyTeam
        let h = Self.hour
        let m = Self.minute
        /// `hours` past midnight, `days` days ago: requests of past days are set in the day.
        func daysAgo(_ days: Int, at hours: Double) -> Date { dayStart(daysBack: days).addingTimeInterval(hours * h) }
        /// Requests of the last hours are set from now.
        func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }

        // The households whose codes the demo prints: something open to look at, and a history.
        if let household = withCodes.first {
            scripted([household], .medicine, "需要降压药（硝苯地平控释片），家里只剩两天的量", filed: daysAgo(4, at: 8.67), steps: [
                (30 * m, .accept(note: "已电话确认药名和剂量，下午去社区卫生服务中心配药")),
                (3 * h, .start(note: "在花木社区卫生服务中心排队配药")),
                (5 * h, .complete(byHousehold: false, note: "药已送到门口，已电话告知")),
                (8 * h, .reopen(reason: "送来的是氨氯地平，医生开的是硝苯地平控释片，麻烦再跑一趟")),
                (8 * h + 30 * m, .accept(note: "抱歉拿错了，马上去换")),
                (10 * h, .start(note: nil)),
                (11 * h, .complete(byHousehold: true, note: "收到了，这次对了，谢谢志愿者！")),
            ])
            scripted([household], .dailySupplies, "卫生纸和洗衣液都用完了，小区超市关着，能不能帮忙团购一点", filed: ago(5 * h), steps: [])
            scripted([household], .testing, "老人腿脚不便，没法下楼排队做核酸，请安排上门采样", filed: ago(3 * h), steps: [
                (25 * m, .accept(note: "明早8点医护上门采样，请在家等候")),
            ])
        }
        if withCodes.count > 1 {
            let household = withCodes[1]
            scripted([household], .food, "家里米和油都没有了，一家三口，能不能先送一点", filed: daysAgo(2, at: 9.5), steps: [
                (40 * m, .accept(note: "收到，联系了保供超市")),
                (4 * h, .start(note: "菜到了，正在分装")),
                (6 * h, .complete(byHousehold: false, note: "米和油已放在门口，已电话告知")),
            ])
            scripted([household], .other, "楼道灯坏了，晚上下楼做核酸看不见", filed: ago(7 * h), steps: [
                (50 * m, .accept(note: "已报物业")),
                (3 * h, .start(note: "物业电工下午上门修")),
            ])
            scripted([household], .dailySupplies, "猫粮快没了，能不能帮忙带一袋（5斤装）", filed: ago(2 * h), steps: [])
            scripted([household], .transport, "下周一要去曙光医院复诊，需要车", filed: daysAgo(1, at: 10), steps: [
                (2 * h, .accept(note: "已联系街道保障车")),
                (8 * h, .cancel(byHousehold: true, reason: "医院改成线上复诊了，不用车了")),
            ])
        }

        // Work the building leaders hold that is not due for hours: their queues keep it once a
        // started server has escalated the overdue ones.
        scripted(households(ofLeader: 1), .other, "家里水管漏水，楼下在滴水，需要物业来修", expecting: .normal, filed: ago(6 * h), steps: [
            (40 * m, .accept(note: "已联系物业，维修师傅下午来")),
        ])

        // Overdue now: the job runner has not got to them yet.
        scripted(households(ofLeader: 1), .emergencyMedical, "父亲突然胸闷、出冷汗，120一直打不通", expecting: .lifeCritical, filed: ago(22 * m), steps: [])
        scripted(dutyTeam, .dailySupplies, "家里老人卧床，成人纸尿裤（L号）只剩两天的量", expecting: .urgent, filed: ago(2 * h + 30 * m), steps: [])
        scripted(dutyTeam, .medicine, "门冬胰岛素笔芯只剩最后一支，请帮忙去医院配药", expecting: .lifeCritical, filed: ago(2 * h + 20 * m), steps: [
            (6 * m, .accept(note: "处方已拍照，马上去东方医院")),
            (40 * m, .start(note: "在东方医院药房排队，前面还有四十多人")),
        ])

        // Escalated: nobody took it in time, so it climbed.
        scripted(households(ofLeader: 0), .testing, "抗原试剂用完了，需要再领一盒", expecting: .normal, filed: daysAgo(3, at: 19), steps: [
            (13 * h, .accept(note: "楼组长这两天发烧在家隔离，我来处理")),
            (14 * h, .start(note: nil)),
            (15 * h, .complete(byHousehold: false, note: "抗原已放门口")),
        ])
        scripted(second, .other, "楼下垃圾两天没人清运了，味道很大", expecting: .normal, filed: ago(21 * h), steps: [])
        scripted(second, .dailySupplies, "燃气卡余额不足，需要帮忙去营业厅充值，家里快没气做饭了", expecting: .normal, filed: ago(30 * h), steps: [])
        scripted(households(ofLeader: 0), .medicine, "老伴的降压药（苯磺酸氨氯地平片）吃完了，社区医院能配到吗", expecting: .urgent, filed: daysAgo(2, at: 7.5), steps: [
            (30 * m, .accept(note: "我去配")),
            (2 * h, .start(note: "社区医院没货，去东方医院试试")),
            (12 * h + 30 * m, .accept(note: "楼组长那边没配到，我去浦东医院试试")),
            (13 * h, .start(note: nil)),
            (15 * h, .complete(byHousehold: false, note: "已配到，送到门口")),
        ])

        // Handed over: to the district for a pass across districts, to the administrator for a
        // household code that does not work.
        if let committee = world.member(.committeeStaff), let district = compounds.first.flatMap({ world.places[$0.districtID ?? 0] }) {
            scripted(households(ofLeader: 1), .transport, "出院回家，需要从仁济医院（西院）接回小区", expecting: .normal, filed: ago(10 * h), steps: [
                (h, .accept(note: "已联系家属，问清出院时间")),
                (3 * h, .reassign(to: .place(id: district.id), by: committee.userID, reason: "跨区接送需要区里开通行证，转区防控办协调")),
            ])
        }
        if let officer = world.member(.informationOfficer), let admin = world.member(.admin) {
            scripted(dutyTeam, .other, "老人说扫户码进不去自己的页面，门上贴的户码也被撕掉了", expecting: .normal, filedBy: officer, filed: ago(4 * h), steps: [
                (h, .reassign(to: .user(id: admin.userID), by: officer.userID, reason: "系统问题，请管理员核查并重新生成户码")),
            ])
        }

        // A leader who heard more on the phone than the form said.
        let alone = (households(ofLeader: 0) + dutyTeam).filter { world.fit(.livesAlone, $0).fits }
        scripted(alone.isEmpty ? households(ofLeader: 0) : alone, .food, "独居老人，需要送两天的菜", expecting: .normal, filed: daysAgo(6, at: 9.25), steps: [
            (h, .accept(note: nil)),
            (h + 10 * m, .changeUrgency(to: .urgent, reason: "电话里老人说已经一天没吃东西了")),
            (2 * h, .start(note: "出发送菜")),
            (3 * h, .complete(byHousehold: false, note: "菜已放在门口，老人已确认")),
        ])

        // The ways a request ends other than done.
        scripted(second, .medicine, "需要进口降糖药（达格列净片），医院说要预约", expecting: .normal, filed: daysAgo(3, at: 9), steps: [
            (2 * h, .accept(note: nil)),
            (6 * h, .start(note: "去了两家药房")),
            (9 * h, .unable(reason: "社区医院和两家药房都缺货，已上报街道药品保障专班")),
        ])
        scripted(second, .food, "需要鸡蛋和挂面，钱可以微信转给志愿者", expecting: .normal, filed: daysAgo(2, at: 10.5), steps: [
            (3 * h, .resolveElsewhere(byHousehold: true, reason: "邻居从互助架上分了两天的菜")),
        ])
        scripted(dutyTeam, .dailySupplies, "家里的垃圾袋和洗洁精用完了", expecting: .normal, filed: daysAgo(3, at: 14), steps: [
            (h, .accept(note: nil)),
            (2 * h, .cancel(byHousehold: false, reason: "重复登记，已合并到同户的上一条")),
        ])

        // A dialysis ride: life-critical from the care register, announced to the groups at once.
        let dialysis = second.filter { world.fit(.careNote("血透"), $0).fits }
        scripted(dialysis.isEmpty ? second : dialysis, .transport, "下午要去仁济医院血透，保障车还没联系上", expecting: .lifeCritical, filed: daysAgo(3, at: 11.5), steps: [
            (6 * m, .accept(note: "已联系街道保障车，出发前电话联系")),
            (30 * m, .start(note: "车已到楼下")),
            (90 * m, .complete(byHousehold: false, note: "已安全送到医院，回程也安排好了")),
        ])
    }

    /// One scripted request for the first household of `households` (tried in random order)
    /// that takes it: its urgency is `expecting` and it fits beside the others.
    private mutating func scripted(
        _ households: [Household], _ category: RequestCategory, _ text: String, expecting: Urgency? = nil, filedBy: DemoWorld.Member? = nil,
        filed: Date, steps: [(TimeInterval, Step)]
    ) {
        var pool = households
        for _ in 0..<12 where !pool.isEmpty {
            let household = pool.remove(at: random.below(pool.count))
            var (actor, channel) = (RequestActor.household(id: household.id), RequestChannel.householdCode)
            if let filedBy {
                (actor, channel) = (.user(id: filedBy.userID), .volunteerOnBehalf)
            } else {
                (actor, channel) = filer(for: household)
            }
            let request = filedRequest(household, category, text, resident: nil, by: actor, channel: channel, at: filed)
            if let expecting, request.urgency != expecting { continue }
            if keep(request, household: household, steps: steps) { return }
        }
    }

    /// One everyday request filed at `filedAt`: a household, a need that fits it, and what came
    /// of it.
    private mutating func planOrdinary(at filedAt: Date) {
        for _ in 0..<6 {
            let categoryIndex = Self.categoryWeights.pick(&random)
            guard let household = ordinaryHousehold(), RequestCategory.allCases.indices.contains(categoryIndex) else { continue }
            let category = RequestCategory.allCases[categoryIndex]
            let fitting = DemoHistoryTexts.needs.filter { $0.category == category }.compactMap { need -> (DemoHistoryTexts.Need, ResidentID?)? in
                let fit = world.fit(need.fit, household)
                return fit.fits ? (need, fit.resident) : nil
            }
            guard !fitting.isEmpty else { continue }
            // A need that fits this household in particular is likelier than an everyday one.
            let weighted = fitting.flatMap { need, resident -> [(DemoHistoryTexts.Need, ResidentID?)] in
                if case .anyone = need.fit { return [(need, resident)] }
                return Array(repeating: (need, resident), count: 3)
            }
            let (need, resident) = weighted[random.below(weighted.count)]
            let (actor, channel) = filer(for: household)
            let request = filedRequest(household, category, need.text, resident: resident, by: actor, channel: channel, at: filedAt)
            let steps = daytime(ordinarySteps(for: request), for: request)
            if keep(request, household: household, steps: steps) { return }
        }
    }

    /// A third of the needs come from the first two buildings, whose leaders have demo logins;
    /// a third from the rest of the first compound; a third from the second compound.
    private mutating func ordinaryHousehold() -> Household? {
        let leaders = world.staff.filter { $0.role == .buildingLeader }.map(\.placeID)
        let roll = random.below(100)
        let pool: [Household]
        if roll < 18, let building = leaders.first {
            pool = world.households[building] ?? []
        } else if roll < 32, leaders.count > 1 {
            pool = world.households[leaders[1]] ?? []
        } else if roll < 66 || world.compounds.count < 2, let compound = world.compounds.first {
            pool = world.households(in: compound).filter { !leaders.contains($0.buildingID) }
        } else {
            pool = world.households(in: world.compounds[1])
        }
        return pool.isEmpty ? nil : pool[random.below(pool.count)]
    }

    /// What became of an everyday request: most were done, some withdrawn, a few could not be
    /// met or were met elsewhere, some came back. A request filed lately has not got far yet:
    /// steps after `now` do not happen.
    private mutating func ordinarySteps(for request: HelpRequest) -> [(TimeInterval, Step)] {
        let m = Self.minute
        let window = policy.window(for: request.urgency)
        let category = request.category
        func between(_ low: TimeInterval, _ high: TimeInterval) -> TimeInterval {
            low + TimeInterval(random.below(max(1, Int(high - low))))
        }
        var accept: TimeInterval
        let start: TimeInterval
        var work: TimeInterval
        switch request.urgency {
        case .lifeCritical: (accept, start, work) = (between(2 * m, 11 * m), between(2 * m, 10 * m), between(20 * m, 70 * m))
        case .urgent: (accept, start, work) = (between(5 * m, 90 * m), between(5 * m, 60 * m), between(30 * m, 300 * m))
        case .normal: (accept, start, work) = (between(20 * m, 480 * m), between(10 * m, 600 * m), between(30 * m, 960 * m))
        }
        // One in ten waits past its accept-by and is escalated; whoever it reaches takes it
        // within the fresh window.
        if random.chance(1_000) { accept = window.acceptInterval * (1.05 + Double(random.below(50)) / 100) }
        let accepted = accept
        let started = accepted + start
        // A few run past their done-by: escalated back to new, and finished by whoever it reaches.
        if random.chance(300) { work = max(work, window.doneInterval - started + between(5 * m, window.acceptInterval * 0.8)) }
        let done = started + work
        func note(_ notes: [String], _ basisPoints: Int) -> String? {
            random.chance(basisPoints) ? notes[random.below(notes.count)] : nil
        }
        func pick(_ notes: [String]) -> String { notes[random.below(notes.count)] }
        let acceptStep = Step.accept(note: note(DemoHistoryTexts.acceptNotes(category), 5_000))
        let startStep = Step.start(note: note(DemoHistoryTexts.startNotes(category), 6_000))
        func finish() -> Step {
            random.chance(2_500)
                ? .complete(byHousehold: true, note: pick(DemoHistoryTexts.householdThanks))
                : .complete(byHousehold: false, note: note(DemoHistoryTexts.doneNotes(category), 7_000))
        }
        let roll = random.below(100)
        switch roll {
        case ..<68:
            // Small errands are often done without a separate start.
            if random.chance(3_000) { return [(accepted, acceptStep), (done, finish())] }
            return [(accepted, acceptStep), (started, startStep), (done, finish())]
        case ..<76:
            if random.chance(6_000) {
                let reason = random.chance(5_000) ? pick(DemoHistoryTexts.householdCancels) : nil
                return [(accepted * 0.8, .cancel(byHousehold: true, reason: reason))]
            }
            return [(accepted, acceptStep), (started, .cancel(byHousehold: false, reason: pick(DemoHistoryTexts.staffCancels)))]
        case ..<81:
            return [(accepted, acceptStep), (started, startStep), (started + work * 0.6, .unable(reason: pick(DemoHistoryTexts.unableReasons(category))))]
        case ..<88:
            if random.chance(5_000) {
                return [(accepted * 0.9, .resolveElsewhere(byHousehold: true, reason: pick(DemoHistoryTexts.resolvedElsewhereReasons(category))))]
            }
            return [(accepted, acceptStep), (started, .resolveElsewhere(byHousehold: false, reason: pick(DemoHistoryTexts.resolvedElsewhereReasons(category))))]
        case ..<94:
            // Reopened by the household within the window, then done again by the same owner.
            let reopened = done + between(60 * m, 30 * 60 * m)
            let again = reopened + between(10 * m, 90 * m)
            return [
                (accepted, acceptStep), (started, startStep), (done, .complete(byHousehold: false, note: note(DemoHistoryTexts.doneNotes(category), 7_000))),
                (reopened, .reopen(reason: pick(DemoHistoryTexts.reopenReasons(category)))),
                (again, .accept(note: note(DemoHistoryTexts.acceptNotes(category), 5_000))), (again + between(20 * m, 120 * m), .complete(byHousehold: true, note: pick(DemoHistoryTexts.householdThanks))),
            ]
        default:
            // The owner learns on the phone that it is graver than the form said.
            guard request.urgency == .normal else { return [(accepted, acceptStep), (done, finish())] }
            let raised = accepted + between(5 * m, 30 * m)
            return [
                (accepted, acceptStep), (raised, .changeUrgency(to: .urgent, reason: pick(DemoHistoryTexts.urgencyRaised))),
                (raised + between(10 * m, 60 * m), startStep), (raised + between(90 * m, 8 * 60 * m), finish()),
            ]
        }
    }

    /// Volunteers sleep: a step of a normal request that falls between midnight and 6:30 is
    /// taken between 6:30 and 7:30 instead, in the same order. Urgent needs are met at any hour.
    private func daytime(_ steps: [(TimeInterval, Step)], for request: HelpRequest) -> [(TimeInterval, Step)] {
        guard request.urgency == .normal else { return steps }
        let waking = 6.5 * Self.hour
        var last: TimeInterval = 0
        return steps.map { offset, step in
            let at = request.createdAt.addingTimeInterval(offset)
            let local = (at.timeIntervalSince1970 + Self.shanghaiOffset).truncatingRemainder(dividingBy: Self.day)
            var moved = offset
            if local < waking { moved = offset - local + waking + local / waking * Self.hour }
            last = max(last, moved)
            return (last, step)
        }
    }

    // MARK: - Filing and living through a request

    /// As the intake files it: urgency from the words and the care register, owner from the
    /// standard routing, deadlines from the policy at `at`.
    private func filedRequest(_ household: Household, _ category: RequestCategory, _ text: String, resident: ResidentID?, by actor: RequestActor, channel: RequestChannel, at: Date) -> HelpRequest {
        let urgency = UrgencyRules.propose(category: category, description: text, careNotes: world.careNotes(of: household)).urgency
        let decision = routing.route(household: household.path, places: world.above(household), category: category, candidates: candidates)
        return HelpRequest.filed(
            id: 0, householdID: household.id, residentID: resident, category: category, urgency: urgency, description: text,
            channel: channel, filedBy: actor, routing: decision, policy: policy, at: at
        )
    }

    /// Residents with a phone file for themselves with the household code; for a household of
    /// the very old the building leader (or whoever is nearest) files on its behalf.
    private mutating func filer(for household: Household) -> (RequestActor, RequestChannel) {
        let people = world.residents[household.id] ?? []
        let canFile = people.contains { $0.phone != nil && (world.age($0) ?? 99) < 75 && $0.note != "人在外地" }
        if canFile, random.chance(8_500) || world.nearestMember(above: household) == nil {
            return (.household(id: household.id), .householdCode)
        }
        if let member = world.nearestMember(above: household) {
            return (.user(id: member.userID), .volunteerOnBehalf)
        }
        return (.household(id: household.id), .householdCode)
    }

    /// Lives the request through `steps` (offsets from its filing); keeps it if it fits beside
    /// the requests kept before.
    @discardableResult
    private mutating func keep(_ request: HelpRequest, household: Household, chainListLine: Int? = nil, steps: [(TimeInterval, Step)]) -> Bool {
        let changes = live(request, household: household, steps: steps.map { (request.createdAt.addingTimeInterval($0.0), $0.1) })
        let spans = Self.spansOpen(request, changes)
        let key = OpenKindKey(householdID: household.id, category: request.category)
        if let last = spans.last, last.upperBound >= now, isKeptFree(household, request.category) { return false }
        // A minute apart at least, so no two open ones of a kind meet even when written in order.
        let existing = openSpans[key] ?? []
        for span in spans {
            for other in existing where span.lowerBound < other.upperBound.addingTimeInterval(Self.minute) && other.lowerBound < span.upperBound.addingTimeInterval(Self.minute) {
                return false
            }
        }
        openSpans[key, default: []].append(contentsOf: spans)
        planned.append(PlannedRequest(filing: DemoFiling(request: request, household: household, chainListLine: chainListLine), changes: changes))
        return true
    }

    /// Kinds a tester files first stay free of open requests: the printed households' medicine,
    /// emergency and food (the browser test files from a household page, whose form offers
    /// medicine first), and food in the whole first compound, which `scripts/two-node-test`,
    /// `escalation-restart-test` and `fuzz-api` file for its households in id order.
    private func isKeptFree(_ household: Household, _ category: RequestCategory) -> Bool {
        if householdsWithCodes.contains(household.id), [.medicine, .emergencyMedical, .food].contains(category) { return true }
        return category == .food && world.compound(of: household)?.id == world.compounds.first?.id
    }

    /// The times a request was open: from its filing (or a reopening) to its closing, or to
    /// `.distantFuture` if it is still open.
    static func spansOpen(_ request: HelpRequest, _ changes: [RecordedChange]) -> [ClosedRange<Date>] {
        var spans: [ClosedRange<Date>] = []
        var openedAt: Date? = request.createdAt
        for recorded in changes {
            let wasOpen = recorded.before.status.isOpen
            let isOpen = recorded.change.request.status.isOpen
            if wasOpen, !isOpen, let opened = openedAt {
                spans.append(opened...max(opened, recorded.change.transition.at))
                openedAt = nil
            } else if !wasOpen, isOpen {
                openedAt = recorded.change.transition.at
            }
        }
        if let openedAt { spans.append(openedAt...Date.distantFuture) }
        return spans
    }

    /// Applies `steps` in time order with the request's own rules, escalating it whenever a
    /// deadline passes first. A step the request no longer allows is skipped; a step of work on a
    /// request escalated back to new is preceded by the new owner taking it.
    private func live(_ filed: HelpRequest, household: Household, steps: [(at: Date, step: Step)]) -> [RecordedChange] {
        let places = world.above(household)
        let caughtUp = runnerCaughtUpTo
        var current = filed
        var changes: [RecordedChange] = []
        var lastAt = filed.createdAt

        func record(_ change: RequestChange) {
            changes.append(RecordedChange(change: change, before: current))
            current = change.request
            lastAt = change.transition.at
        }
        func takeOver(at time: Date) {
            if current.status == .new, let change = try? current.accept(by: worker(for: current, household: household), at: time) { record(change) }
        }
        // The escalation message reaches the next tier, and with work still to do someone there
        // takes it within its fresh window; left alone it would climb again at every deadline.
        func escalate(until time: Date, takingOver: Bool) {
            while let deadline = current.pendingDeadline, deadline < caughtUp {
                let at = deadline.addingTimeInterval(DemoHistory.runnerDelay)
                guard at <= time, at >= lastAt,
                      let step = Escalation.step(for: current, places: places, policy: policy, now: at),
                      let change = try? current.escalate(step, at: at)
                else { return }
                record(change)
                let takenAt = at.addingTimeInterval(policy.window(for: current.urgency).acceptInterval * 0.3)
                if takingOver, takenAt < time { takeOver(at: takenAt) }
            }
        }

        for (planned, step) in steps.sorted(by: { $0.at < $1.at }) {
            guard planned < now else { break }
            escalate(until: planned, takingOver: true)
            let at = max(planned, lastAt)
            let householdActor = RequestActor.household(id: household.id)
            let worker = worker(for: current, household: household)
            var change: RequestChange?
            switch step {
            case .accept(let note):
                change = try? current.accept(by: worker, note: note, at: at)
            case .start(let note):
                // Escalated back to new since it was taken: the new owner takes it first.
                var startAt = at
                if current.status == .new {
                    takeOver(at: at)
                    startAt = at.addingTimeInterval(3 * Self.minute)
                }
                if startAt < now { change = try? current.start(by: self.worker(for: current, household: household), note: note, at: startAt) }
            case .complete(let byHousehold, let note):
                var doneAt = at
                if current.status == .new {
                    takeOver(at: at)
                    doneAt = at.addingTimeInterval(20 * Self.minute)
                }
                let actor = byHousehold ? householdActor : .user(id: self.worker(for: current, household: household))
                if doneAt < now { change = try? current.complete(by: actor, note: note, at: doneAt) }
            case .cancel(let byHousehold, let reason):
                change = try? current.cancel(by: byHousehold ? householdActor : .user(id: worker), reason: reason, at: at)
            case .unable(let reason):
                change = try? current.markUnable(by: worker, reason: reason, at: at)
            case .resolveElsewhere(let byHousehold, let reason):
                change = try? current.resolveElsewhere(by: byHousehold ? householdActor : .user(id: worker), reason: reason, at: at)
            case .reopen(let reason):
                change = try? current.reopen(by: householdActor, reason: reason, policy: policy, at: at)
            case .reassign(let owner, let by, let reason):
                change = try? current.reassign(to: owner, by: by, reason: reason, at: at)
            case .changeUrgency(let urgency, let reason):
                change = try? current.changeUrgency(to: urgency, by: worker, reason: reason, policy: policy, at: at)
            }
            if let change { record(change) }
        }
        escalate(until: now, takingOver: false)
        return changes
    }

    /// Who works a request: its named owner, else someone with a role at the place that holds
    /// it (the medicine runner for medicine, the group-buy leader for food), else the nearest
    /// person above that place (a committee worker for a compound with no lead of its own).
    func worker(for request: HelpRequest, household: Household) -> UserID {
        if let owner = request.ownerUserID { return owner }
        let places = world.above(household)
        let start = places.firstIndex { $0.id == request.ownerPlaceID } ?? (places.count - 1)
        let preferred: [RoleKind] = switch request.category {
        case .medicine, .emergencyMedical: [.medicineRunner, .buildingLeader, .compoundLead, .committeeStaff]
        case .food, .dailySupplies: [.groupBuyLeader, .buildingLeader, .compoundLead, .committeeStaff]
        default: [.buildingLeader, .compoundLead, .committeeStaff]
        }
        for index in stride(from: start, through: 0, by: -1) where places.indices.contains(index) {
            let members = world.members(at: places[index].id)
            if let member = preferred.lazy.compactMap({ role in members.first { $0.role == role } }).first ?? members.first {
                return member.userID
            }
        }
        return world.staff.first?.userID ?? 0
    }

    /// Midnight in Shanghai, `daysBack` days before today's.
    func dayStart(daysBack: Int) -> Date { Self.dayStart(daysBack: daysBack, before: now) }

    /// Midnight in Shanghai, `daysBack` days before the one that starts the day of `now`.
    static func dayStart(daysBack: Int, before now: Date) -> Date {
        let local = now.timeIntervalSince1970 + shanghaiOffset
        let midnight = (local / day).rounded(.down) * day - shanghaiOffset
        return Date(timeIntervalSince1970: midnight - Double(daysBack) * day)
    }
}

/// A step someone takes on a request in the story; who takes it is decided when it is taken.
enum Step {
    case accept(note: String?)
    case start(note: String?)
    case complete(byHousehold: Bool, note: String?)
    case cancel(byHousehold: Bool, reason: String?)
    case unable(reason: String)
    case resolveElsewhere(byHousehold: Bool, reason: String)
    case reopen(reason: String?)
    case reassign(to: RequestOwner, by: UserID, reason: String)
    case changeUrgency(to: Urgency, reason: String)
}

struct RecordedChange {
    var change: RequestChange
    var before: HelpRequest
}

struct PlannedRequest {
    var filing: DemoFiling
    var changes: [RecordedChange]
}

struct OpenKindKey: Hashable {
    var householdID: PlaceID
    var category: RequestCategory
}

extension HelpRequest {
    /// The deadline the escalation job is waiting on, if the request is open.
    var pendingDeadline: Date? {
        switch status {
        case .new: acceptBy
        case .accepted, .inProgress: doneBy
        case .done, .cancelled, .unable, .resolvedElsewhere: nil
        }
    }
}
