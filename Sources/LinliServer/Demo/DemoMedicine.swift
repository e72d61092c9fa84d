import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The demo compound's medicine runs: last night's batch done (cards out and back on the custody
/// chain, every item bought but one partial, whose follow-up went to the committee's medicine
/// team, money reconciled, the batch closed) and tonight's batch collecting, with a card already
/// handed over and an insulin request waiting on the same-day queue. Written through the
/// records the server's own paths use; the households are the compound's last ones, never the
/// printed demo households (whose walk files medicine of its own).
enum DemoMedicine {
    static let drugs: [(drug: String, specification: String, hospital: String, window: String)] = [
        ("氨氯地平片", "5mg*28片", "仁济医院", "慢病窗口"), ("二甲双胍缓释片", "0.5g*30片", "仁济医院", "慢病窗口"),
        ("阿托伐他汀钙片", "20mg*7片", "曙光医院", "西药房"), ("阿司匹林肠溶片", "100mg*30片", "社区卫生服务中心", ""),
        ("缬沙坦胶囊", "80mg*7粒", "仁济医院", "慢病窗口"), ("左甲状腺素钠片", "50μg*100片", "曙光医院", "西药房"),
    ]

    static func write(generator: DemoGenerator, users: [DemoAccount: UserID], printed: [PlaceID], now: Date, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        guard let lead = generator.accounts.first(where: { $0.role == .compoundLead }),
              let compound = try await DirectoryRecords.place(id: lead.placeID, on: db), let committeeID = compound.parentID,
              let committee = try await DirectoryRecords.place(id: committeeID, on: db),
              let runnerAccount = generator.accounts.first(where: { $0.role == .medicineRunner }), let runner = users[runnerAccount],
              let staff = users[lead] else { return }
        guard let teamRow = try await db.raw("""
            SELECT id FROM teams WHERE kind = 'medicine_team' AND place_id = \(bind: compound.id) ORDER BY id LIMIT 1
            """).first() else { return }
        let team = try teamRow.decode(column: "id", as: TeamID.self)
        // The committee's own medicine team, one level up, takes what the compound's could not get.
        guard let upRow = try await db.raw("""
            INSERT INTO teams (name, kind, place_id, path, district_id)
            VALUES (\(bind: committee.name + "配药队"), 'medicine_team', \(bind: committee.id), \(bind: committee.path.rawValue), \(bind: committee.districtID)) RETURNING id
            """).first() else { return }
        let upTeam = try upRow.decode(column: "id", as: TeamID.self)
        let range = compound.path.descendantRange
        let households = try await db.raw("""
            SELECT id FROM households h WHERE path > \(bind: range.after) AND path < \(bind: range.before)
              AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.household_id = h.id AND r.category = 'medicine' AND r.status IN ('new', 'accepted', 'in_progress'))
            ORDER BY id DESC LIMIT 60
            """).all().map { try $0.decode(column: "id", as: PlaceID.self) }.filter { !printed.contains($0) }
        guard households.count >= 36 else { return }

        // Last night: thirty households (their labels fill several A4 pages), filed yesterday
        // afternoon, formed at 20:00, run at dawn.
        // The latest night whose dawn run is over (its cut-off at least 12 hours ago), so every
        // time in it is in the past whatever the hour the demo is made.
        let yesterday = CareSchedule.localDay(now.addingTimeInterval(-32 * 3600))
        let lastNight = CareSchedule.dayText(yesterday)
        let filedAt = CareSchedule.start(ofLocalDay: yesterday).addingTimeInterval(15 * 3600)
        let cutOff = CareSchedule.start(ofLocalDay: yesterday).addingTimeInterval(Double(MedicineBatch.defaultCutoffMinute) * 60)
        let dawn = cutOff.addingTimeInterval(10 * 3600)
        var lastRequests: [(request: HelpRequestID, household: PlaceID)] = []
        for (index, household) in households.prefix(30).enumerated() {
            let request = try await file(household: household, team: team, night: lastNight, items: [index % drugs.count, (index + 2) % drugs.count], at: filedAt, on: db)
            lastRequests.append((request, household))
        }
        let formed = try await MedicineNightlyForming.formNightly(cutoffMinute: MedicineBatch.defaultCutoffMinute, night: lastNight, at: cutOff, on: db)
        guard let lastBatch = formed.first else { return }
        for hospital in Set(drugs.map(\.hospital)) {
            try await db.raw("INSERT INTO medicine_runners (batch_id, hospital, runner_user_id, assigned_at) VALUES (\(bind: lastBatch), \(bind: hospital), \(bind: runner), \(bind: cutOff.millisecondsSince1970))").run()
        }
        for (index, filed) in lastRequests.enumerated() {
            let card = try await CardCustodyRecords.register(householdID: filed.household, residentID: nil, kind: .insuranceCard, number: "3101151950\(String(format: "%08d", 10_000_000 + index))",
                                                            requestID: filed.request, by: runner, note: nil, now: filedAt, engine: engine, on: db)
            _ = try await CardCustodyRecords.step(cardID: card.id, event: .withRunner, by: staff, holder: runner, confirmedBy: nil, note: nil, now: cutOff, engine: engine, on: db)
            _ = try await CardCustodyRecords.step(cardID: card.id, event: .atHospital, by: runner, holder: nil, confirmedBy: nil, note: nil, now: dawn.addingTimeInterval(-3 * 3600), engine: engine, on: db)
            _ = try await CardCustodyRecords.step(cardID: card.id, event: .returnedToHousehold, by: runner, holder: nil, confirmedBy: CardCustodyRecords.actor(runner), note: nil, now: dawn, engine: engine, on: db)
            // Everything bought, except the first household's second drug: only one box of two.
            let partial = index == 0
            try await db.raw("""
                UPDATE medicine_items SET outcome = 'bought', quantity_bought = quantity, outcome_at = \(bind: dawn.millisecondsSince1970), outcome_by = \(bind: runner)
                WHERE request_id = \(bind: filed.request)
                """).run()
            if partial {
                try await db.raw("""
                    UPDATE medicine_items SET outcome = 'partial', quantity_bought = 1, outcome_note = '医院只剩一盒'
                    WHERE id = (SELECT MAX(id) FROM medicine_items WHERE request_id = \(bind: filed.request))
                    """).run()
            }
            try await db.raw("""
                UPDATE medicine_requests SET verified_by = \(bind: staff), verified_at = \(bind: filedAt.millisecondsSince1970),
                    cash_spent = 15000, change_returned = cash_advanced - 15000 WHERE request_id = \(bind: filed.request)
                """).run()
            try await close(filed.request, note: partial ? "部分买到，已转居委配药队跟进" : "药已送到", at: dawn, by: runner, on: db)
            if partial {
                // The follow-up: the missing box, for the committee's team, in tonight's batch.
                let tonight = MedicineBatch.night(filedAt: now, cutoffMinute: MedicineBatch.defaultCutoffMinute)
                _ = try await file(household: filed.household, team: upTeam, night: tonight, items: [(index + 2) % drugs.count], quantity: 1, followUpOf: filed.request,
                                   ownerPlace: committee.id, at: dawn, on: db)
            }
        }
        try await db.raw("""
            UPDATE medicine_batches SET status = 'closed', closed_at = \(bind: dawn.addingTimeInterval(3600).millisecondsSince1970), closed_by = \(bind: staff)
            WHERE id = \(bind: lastBatch)
            """).run()

        // Tonight: five households collecting until 20:00, one card already with the runner,
        // and an insulin request on the same-day queue.
        let tonight = MedicineBatch.night(filedAt: now, cutoffMinute: MedicineBatch.defaultCutoffMinute)
        let earlier = now.addingTimeInterval(-2 * 3600)
        for (index, household) in households.dropFirst(30).prefix(5).enumerated() {
            let request = try await file(household: household, team: team, night: tonight, items: [(index + 1) % drugs.count, (index + 3) % drugs.count], at: earlier, on: db)
            if index == 0 {
                let card = try await CardCustodyRecords.register(householdID: household, residentID: nil, kind: .insuranceCard, number: "310115195209099876",
                                                                requestID: request, by: runner, note: nil, now: earlier, engine: engine, on: db)
                _ = try await CardCustodyRecords.step(cardID: card.id, event: .withRunner, by: runner, holder: runner, confirmedBy: nil, note: nil, now: earlier, engine: engine, on: db)
            }
        }
        if let household = households.dropFirst(35).first {
            let request = try await fileRequest(household: household, ownerPlace: compound.id, urgency: .urgent, description: "胰岛素快用完了", at: now.addingTimeInterval(-20 * 60), on: db)
            guard let place = try await HouseholdRecords.household(id: household, on: db) else { return }
            try await MedicineRecords.store(
                requestID: request, householdID: household, teamID: team, queue: .sameDay, cashAdvanced: 20000, followUpOf: nil, path: place.path, districtID: place.districtID,
                items: [MedicineItem(id: 0, requestID: request, drug: "门冬胰岛素注射液", specification: "3ml:300单位", quantity: 2, kind: .urgent, source: .hospitalWindow,
                                     hospital: "仁济医院", window: "内分泌科", coldChain: true)], on: db
            )
        }
    }

    /// A medicine request as intake files it, with its items, in the team's batch for `night`.
    static func file(household: PlaceID, team: TeamID, night: String, items: [Int], quantity: Int = 2, followUpOf: HelpRequestID? = nil,
                     ownerPlace: PlaceID? = nil, at: Date, on db: any SQLDatabase) async throws -> HelpRequestID {
        let chosen = items.map { drugs[$0 % drugs.count] }
        let description = followUpOf == nil ? "配药：" + chosen.map(\.drug).joined(separator: "、") : "跟进：" + chosen.map(\.drug).joined(separator: "、") + "（上次只买到部分）"
        guard let place = try await HouseholdRecords.household(id: household, on: db) else { throw StoreError.conflict("the demo household \(household) is missing") }
        var owner = ownerPlace
        if owner == nil { owner = try await db.raw("SELECT place_id FROM teams WHERE id = \(bind: team)").first()?.decode(column: "place_id", as: PlaceID.self) }
        let request = try await fileRequest(household: household, ownerPlace: owner, urgency: .normal, description: description, at: at, on: db)
        let batch = try await MedicineNightlyForming.collectingBatch(team: team, night: night, at: at, on: db)
        try await MedicineRecords.store(
            requestID: request, householdID: household, teamID: team, queue: .nightly, cashAdvanced: 20000, followUpOf: followUpOf, path: place.path, districtID: place.districtID,
            items: chosen.map { MedicineItem(id: 0, requestID: request, drug: $0.drug, specification: $0.specification, quantity: quantity, kind: .chronicRefill,
                                             source: $0.hospital.hasPrefix("社区") ? .healthCentre : .hospitalWindow, hospital: $0.hospital, window: $0.window) },
            batchID: batch, on: db
        )
        return request
    }

    static func fileRequest(household: PlaceID, ownerPlace: PlaceID?, urgency: Urgency, description: String, at: Date, on db: any SQLDatabase) async throws -> HelpRequestID {
        guard let place = try await HouseholdRecords.household(id: household, on: db) else { throw StoreError.conflict("the demo household \(household) is missing") }
        let deadlines = DeadlinePolicy.standard.deadlines(for: urgency, from: at)
        let request = HelpRequest(
            id: 0, householdID: household, category: .medicine, urgency: urgency, description: description, channel: .volunteerOnBehalf, filedBy: .system,
            ownerPlaceID: ownerPlace, status: .new, createdAt: at, acceptBy: deadlines.acceptBy, doneBy: deadlines.doneBy
        )
        return try await RequestRecords.insert(request, household: place, on: db).request.id
    }

    static func close(_ id: HelpRequestID, note: String, at: Date, by user: UserID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE requests SET status = 'done', closed_at = \(bind: at.millisecondsSince1970), closing_reason = \(bind: note), version = version + 1 WHERE id = \(bind: id)
            """).run()
        try await RequestRecords.insert(RequestTransition(requestID: id, kind: .complete, actor: .user(id: user), at: at, from: .new, to: .done, note: note), on: db)
    }
}
