import Foundation
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("The cut-off: every team's batch collecting for the night is formed at once, and nothing else joins it")
struct MedicineFormingTests {
    /// A medicine request of `household` with one item, in its team's collecting batch (as filing
    /// puts it) unless `batched` is false.
    static func file(_ household: PlaceID, team: TeamID, night: String, batched: Bool = true, status: String = "new", at now: Date, app: TestApp) async throws -> HelpRequestID {
        try await app.store.write { db in
            let batch = batched ? try await MedicineNightlyForming.collectingBatch(team: team, night: night, at: now, on: db) : nil
            let millis = now.millisecondsSince1970
            let row = try await db.raw("""
                INSERT INTO requests (household_id, category, urgency, description, channel, filed_by, status, created_at, accept_by, done_by, path, district_id)
                SELECT id, 'medicine', 'normal', '配药', 'household_code', 'household:' || CAST(id AS TEXT), \(bind: status), \(bind: millis), \(bind: millis), \(bind: millis), path, district_id
                FROM households WHERE id = \(bind: household) RETURNING id
                """).first()
            let id = try #require(try row?.decode(column: "id", as: HelpRequestID.self))
            try await db.raw("""
                INSERT INTO medicine_requests (request_id, household_id, team_id, queue, batch_id, cash_advanced, path, district_id)
                SELECT \(bind: id), id, \(bind: team), 'nightly', \(bind: batch), 5000, path, district_id FROM households WHERE id = \(bind: household)
                """).run()
            try await db.raw("""
                INSERT INTO medicine_items (request_id, drug, specification, quantity, kind, source, hospital, hospital_window)
                VALUES (\(bind: id), '氨氯地平片', '5mg*28片', 2, 'chronic_refill', 'hospital_window', '仁济医院', '慢病窗口')
                """).run()
            return id
        }
    }

    @Test("two filed into the collecting batch, one filed without a batch, one cancelled before the cut-off: the batch holds the three open ones, its list totals them, and a second run forms nothing", arguments: TestEngine.available)
    func cutOff(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, _ in
            let team = try #require(try await app.store.read { db in
                try await db.raw("SELECT id FROM teams WHERE kind = 'medicine_team' ORDER BY id LIMIT 1").first()?.decode(column: "id", as: TeamID.self)
            })
            let households = try await app.store.read { db in
                try await db.raw("SELECT h.id FROM households h JOIN teams t ON h.path > t.path || '/' AND h.path < t.path || '0' WHERE t.id = \(bind: team) ORDER BY h.id LIMIT 4")
                    .all().map { try $0.decode(column: "id", as: PlaceID.self) }
            }
            try #require(households.count == 4)
            // 2022-04-12 19:00 in Shanghai: before the 20:00 cut-off, so tonight's batch.
            let evening = Date(timeIntervalSince1970: 1_649_761_200)
            let night = MedicineBatch.night(filedAt: evening, cutoffMinute: MedicineBatch.defaultCutoffMinute)
            #expect(night == "2022-04-12")
            #expect(MedicineBatch.night(filedAt: evening.addingTimeInterval(3600), cutoffMinute: MedicineBatch.defaultCutoffMinute) == "2022-04-13")
            let first = try await Self.file(households[0], team: team, night: night, at: evening, app: app)
            let second = try await Self.file(households[1], team: team, night: night, at: evening, app: app)
            let late = try await Self.file(households[2], team: team, night: night, batched: false, at: evening, app: app)
            let cancelled = try await Self.file(households[3], team: team, night: night, status: "cancelled", at: evening, app: app)
            try await app.store.write { db in
                try await db.raw("""
                    INSERT INTO medicine_cards (household_id, kind, card_number, request_id, state, since, path, district_id)
                    SELECT id, 'insurance_card', '310115195001011234', \(bind: first), 'with_runner', 0, path, district_id FROM households WHERE id = \(bind: households[0])
                    """).run()
            }

            let cutOff = evening.addingTimeInterval(3600)
            let formed = try await app.store.write { db in
                try await MedicineNightlyForming.formNightly(cutoffMinute: MedicineBatch.defaultCutoffMinute, night: night, at: cutOff, on: db)
            }
            let batch = try #require(formed.first)
            #expect(formed.count == 1)
            let members = try await app.store.read { db in
                try await db.raw("SELECT request_id FROM medicine_requests WHERE batch_id = \(bind: batch) ORDER BY request_id").all().map { try $0.decode(column: "request_id", as: HelpRequestID.self) }
            }
            #expect(members == [first, second, late].sorted { $0.rawValue < $1.rawValue })
            #expect(!members.contains(cancelled))
            let status = try await app.store.read { db in try await db.raw("SELECT status FROM medicine_batches WHERE id = \(bind: batch)").first()?.decode(column: "status", as: String.self) }
            #expect(status == "formed")
            let cardBatch = try await app.store.read { db in try await db.raw("SELECT batch_id FROM medicine_cards WHERE request_id = \(bind: first)").first()?.decode(column: "batch_id", as: MedicineBatchID?.self) }
            #expect(cardBatch == batch, "the card handed over goes with its request's batch")

            let lists = try await app.store.read { db in try await MedicineNightlyForming.totals(night: night, on: db) }
            #expect(lists[batch]?.map(\.hospital) == ["仁济医院"])
            #expect(lists[batch]?.first?.lines.map(\.quantity) == [6])
            #expect(lists[batch]?.first?.lines.map(\.households) == [3])
            let fromItems = try await app.store.read { db in MedicineHospitalLists.build(try await MedicineNightlyForming.lines(night: night, on: db)) }
            #expect(fromItems == lists, "the database's totals and the core's agree")

            let again = try await app.store.write { db in
                try await MedicineNightlyForming.formNightly(cutoffMinute: MedicineBatch.defaultCutoffMinute, night: night, at: cutOff.addingTimeInterval(60), on: db)
            }
            #expect(again.isEmpty)
            // After the cut-off a filing goes to tomorrow's batch, never into the formed one.
            let tomorrow = MedicineBatch.night(filedAt: cutOff, cutoffMinute: MedicineBatch.defaultCutoffMinute)
            let next = try await app.store.write { db in try await MedicineNightlyForming.collectingBatch(team: team, night: tomorrow, at: cutOff, on: db) }
            #expect(next != nil && next != batch)
            let formedAgain = try await app.store.write { db in try await MedicineNightlyForming.collectingBatch(team: team, night: night, at: cutOff, on: db) }
            #expect(formedAgain == nil)
        }
    }

    @Test("the cut-off job forms tonight's batch once 20:00 has passed, not before, and only once; a team with its own cut-off waits for it", arguments: TestEngine.available)
    func cutOffJob(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, _ in
            let teams = try await app.store.read { db in
                try await db.raw("SELECT id FROM teams WHERE kind = 'medicine_team' ORDER BY id LIMIT 2").all().map { try $0.decode(column: "id", as: TeamID.self) }
            }
            try #require(teams.count == 2)
            // The second team stops taking orders at 21:30.
            try await app.store.write { db in try await db.raw("UPDATE teams SET medicine_cutoff_minute = 1290 WHERE id = \(bind: teams[1])").run() }
            let evening = Date(timeIntervalSince1970: 1_649_761_200)  // 2022-04-12 19:00 in Shanghai
            var filed: [TeamID: HelpRequestID] = [:]
            for team in teams {
                let household = try #require(try await app.store.read { db in
                    try await db.raw("SELECT h.id FROM households h JOIN teams t ON h.path > t.path || '/' AND h.path < t.path || '0' WHERE t.id = \(bind: team) ORDER BY h.id DESC LIMIT 1")
                        .first()?.decode(column: "id", as: PlaceID.self)
                })
                let cutoff = team == teams[1] ? 1290 : MedicineBatch.defaultCutoffMinute
                filed[team] = try await Self.file(household, team: team, night: MedicineBatch.night(filedAt: evening, cutoffMinute: cutoff), at: evening, app: app)
            }
            let job = MedicineCutOff(services: app.services)
            #expect(try await job.run(at: evening.addingTimeInterval(59 * 60)).isEmpty, "19:59: nothing is due")
            let at2001 = try await job.run(at: evening.addingTimeInterval(61 * 60))
            #expect(at2001.count == 1, "20:01: the 20:00 team's batch only")
            #expect(try await job.run(at: evening.addingTimeInterval(65 * 60)).isEmpty, "forming again forms nothing")
            let at2131 = try await job.run(at: evening.addingTimeInterval(151 * 60))
            #expect(at2131.count == 1, "21:31: the 21:30 team's batch")
            let statuses = try await app.store.read { db in
                try await db.raw("SELECT status FROM medicine_batches WHERE night = '2022-04-12' ORDER BY id").all().map { try $0.decode(column: "status", as: String.self) }
            }
            #expect(statuses == ["formed", "formed"])
            // Just after midnight, yesterday's cut-offs are still looked at (a server down at 20:00).
            let due = MedicineCutOff.due(cutoffs: [1200, 1290], at: evening.addingTimeInterval(5.5 * 3600))
            #expect(due.map(\.night) == ["2022-04-12", "2022-04-12"])
        }
    }

    @Test("the night's lists split over reader connections are the one query's lists, however many parts", arguments: TestEngine.available)
    func splitTotals(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, _ in
            let teams = try await app.store.read { db in
                try await db.raw("SELECT id FROM teams WHERE kind = 'medicine_team' ORDER BY id").all().map { try $0.decode(column: "id", as: TeamID.self) }
            }
            try #require(teams.count >= 2)
            let evening = Date(timeIntervalSince1970: 1_649_761_200)
            let night = MedicineBatch.night(filedAt: evening, cutoffMinute: MedicineBatch.defaultCutoffMinute)
            for team in teams {
                let households = try await app.store.read { db in
                    try await db.raw("SELECT h.id FROM households h JOIN teams t ON h.path > t.path || '/' AND h.path < t.path || '0' WHERE t.id = \(bind: team) ORDER BY h.id LIMIT 3")
                        .all().map { try $0.decode(column: "id", as: PlaceID.self) }
                }
                for household in households { _ = try await Self.file(household, team: team, night: night, at: evening, app: app) }
            }
            _ = try await app.store.write { db in try await MedicineNightlyForming.formNightly(cutoffMinute: MedicineBatch.defaultCutoffMinute, night: night, at: evening.addingTimeInterval(3600), on: db) }
            let whole = try await app.store.read { db in try await MedicineNightlyForming.totals(night: night, on: db) }
            #expect(whole.count == teams.count)
            for parts in [1, 2, 3, teams.count + 4] {
                #expect(try await MedicineNightlyForming.totals(night: night, store: app.store, parts: parts) == whole, "\(parts) parts")
            }
            #expect(try await MedicineNightlyForming.totals(night: "2000-01-01", store: app.store).isEmpty)
        }
    }
}