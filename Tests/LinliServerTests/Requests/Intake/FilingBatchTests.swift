import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
@testable import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import Testing

/// Filings that arrive together are written together (`FilingBatch`); each must be
/// answered as if it had come alone, one after another.
@Suite("Filings sent at the same moment")
struct FilingBatchTests {
    /// Sends every filing at once and returns the answers in the order given.
    static func fileAtOnce(_ filings: [@Sendable () async throws -> TestResponse]) async throws -> [TestResponse] {
        try await withThrowingTaskGroup(of: (Int, TestResponse).self) { group in
            for (index, filing) in filings.enumerated() { group.addTask { (index, try await filing()) } }
            var answers: [Int: TestResponse] = [:]
            for try await (index, answer) in group { answers[index] = answer }
            return filings.indices.compactMap { answers[$0] }
        }
    }

    /// The demo building leader, logged in, and the first household of their building.
    static func leaderAndHousehold(_ app: TestApp, _ client: some TestClientProtocol) async throws -> (leader: DemoAccount, token: String, household: PlaceID) {
        let leader = try app.account(.buildingLeader)
        return (leader, try await client.token(phone: leader.phone), try await app.household(under: leader.placeID))
    }

    static func errorCode(_ response: TestResponse) throws -> String? {
        (try response.jsonObject()["error"] as? [String: Any])?["code"] as? String
    }

    @Test("a form sent six times at once makes one request and five replays of it", arguments: TestEngine.available)
    func resentTogether(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (_, token, household) = try await Self.leaderAndHousehold(app, client)
            let answers = try await Self.fileAtOnce((0..<6).map { _ in { try await RequestFiling.file(token, household: household, key: "form-7", client: client) } })
            #expect(answers.count { $0.status == .created } == 1)
            #expect(answers.count { $0.status == .ok } == 5)
            let ids = Set(try answers.map { try $0.jsonObject()["id"] as? Int })
            #expect(ids.count == 1 && ids.first! != nil)
            let stored = try await app.store.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM requests WHERE household_id = \(bind: household)").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stored == 1)
        }
    }

    @Test("six different forms of one kind at once: one request, five offered it for merging", arguments: TestEngine.available)
    func sameKindTogether(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (_, token, household) = try await Self.leaderAndHousehold(app, client)
            let answers = try await Self.fileAtOnce((0..<6).map { index in { try await RequestFiling.file(token, household: household, key: "form-\(index)", client: client) } })
            let created = try #require(answers.first { $0.status == .created })
            let id = try #require(try created.jsonObject()["id"] as? Int)
            let refused = answers.filter { $0.status == .conflict }
            #expect(refused.count == 5)
            for answer in refused {
                #expect(try Self.errorCode(answer) == "requests.duplicate")
                let message = try #require((try answer.jsonObject()["error"] as? [String: Any])?["message"] as? String)
                #expect(message.contains("\(id)"), "the refusal names the request to merge into: \(message)")
            }
            // Sent again, the form that went in is a replay, and one that was refused is refused again.
            let first = try #require(answers.first)
            let again = try await RequestFiling.file(token, household: household, key: "form-0", client: client)
            #expect(again.status == (first.status == .created ? .ok : .conflict))
        }
    }

    @Test("in one batch, a household outside the caller's places, a bad form and a stranger resident are refused alone", arguments: TestEngine.available)
    func refusalsStayAlone(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let leader = try app.account(.buildingLeader)
            let token = try await client.token(phone: leader.phone)
            let inside = try await app.household(under: leader.placeID)
            let neighbour = try await app.household(under: leader.placeID, index: 1)
            let outside = try await app.household(under: try app.account(.buildingLeader, index: 1).placeID)
            let stranger = try #require(try await app.store.read { db in
                try await db.raw("SELECT id FROM residents WHERE household_id = \(bind: outside) LIMIT 1").first()?.decode(column: "id", as: ResidentID.self)
            })
            let answers = try await Self.fileAtOnce([
                { try await RequestFiling.file(token, household: inside, client: client) },
                { try await RequestFiling.file(token, household: outside, client: client) },
                { try await RequestFiling.file(token, household: outside, description: "", client: client) },
                { try await RequestFiling.file(token, household: neighbour, description: "", client: client) },
                { try await RequestFiling.file(token, household: neighbour, category: "medicine", residentID: stranger, client: client) },
                { try await RequestFiling.file(token, household: neighbour, category: "testing", description: "需要上门做核酸", client: client) },
            ])
            #expect(answers.map(\.status) == [.created, .notFound, .notFound, .badRequest, .badRequest, .created])
            #expect((try answers[3].jsonObject()["error"] as? [String: Any])?["field"] as? String == "description")
            #expect((try answers[4].jsonObject()["error"] as? [String: Any])?["field"] as? String == "resident_id")
        }
    }

    @Test("requests filed together are shared out between two building leaders of one building", arguments: TestEngine.available)
    func sharedOut(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let leader = try app.account(.buildingLeader)
            let second = try app.account(.compoundLead)
            // The compound lead also leads the building: two candidates at the same place.
            try await app.store.write { db in
                let user = try #require(try await UserRecords.user(phone: second.phone, on: db))
                let building = try #require(try await DirectoryRecords.place(id: leader.placeID, on: db))
                try await UserRecords.grant(.buildingLeader, at: building, to: user.id, on: db)
            }
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let households = [try await app.household(under: leader.placeID), try await app.household(under: leader.placeID, index: 1)]
            let categories = ["food", "medicine"]
            var filings: [@Sendable () async throws -> TestResponse] = []
            for household in households {
                for category in categories { filings.append { try await RequestFiling.file(staff, household: household, category: category, client: client) } }
            }
            let answers = try await Self.fileAtOnce(filings)
            #expect(answers.allSatisfy { $0.status == .created })
            let owners = try answers.compactMap { try $0.jsonObject()["owner_user_id"] as? Int }
            #expect(owners.count == 4)
            #expect(Dictionary(grouping: owners, by: { $0 }).mapValues(\.count).values.sorted() == [2, 2], "owners: \(owners)")
        }
    }

    @Test("every filing is audited: who, which request, and what it was filed as", arguments: TestEngine.available)
    func audited(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (_, token, household) = try await Self.leaderAndHousehold(app, client)
            let filed = try await RequestFiling.file(token, household: household, category: "medicine", description: "胰岛素只剩两天的量", client: client).jsonObject()
            let id = try #require(filed["id"] as? Int)
            let entry = try #require(try await app.store.read { db in try await AuditRecords.entries(entity: "request", entityID: "\(id)", action: "request.create", on: db) }.first)
            #expect(entry.actor == filed["filed_by"] as? String)
            let json = try #require(entry.after)
            let after = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(after["category"] as? String == "medicine")
            #expect(after["urgency"] as? String == filed["urgency"] as? String)
            #expect(after["channel"] as? String == "volunteer_on_behalf")
            #expect(after["ownerUserID"] as? Int == filed["owner_user_id"] as? Int)
            #expect(after["ownerPlaceID"] as? Int == filed["owner_place_id"] as? Int)
        }
    }

    @Test("in one batch, a form whose first copy was refused is judged on its own, as if sent after it", arguments: TestEngine.available)
    func resentAfterRefusal(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (_, token, household) = try await Self.leaderAndHousehold(app, client)
            let open = try await RequestFiling.file(token, household: household, category: "food", client: client)
            #expect(open.status == .created)
            // The household sends a food form (refused: one is open) and, under the same key, a
            // medicine one; both reach the writer in one batch, in that order.
            let actor = RequestActor.household(id: household)
            func submission(_ category: RequestCategory) -> FilingSubmission {
                FilingSubmission(
                    filing: .init(householdID: household, residentID: nil, category: category, description: "想团购一袋大米", channel: .householdCode),
                    actor: actor, scope: RequestRecords.encode(actor), grants: nil, idempotencyKey: "form-9", formError: nil, described: [], traceID: "test", at: Date()
                )
            }
            let batch = [submission(.food), submission(.medicine)]
            let outcomes = try await app.store.write { db in
                try await app.services.filings.write(batch, on: db)
            }
            #expect(outcomes.count == 2)
            guard case .refused(let refusal) = outcomes[0] else { Issue.record("the food form was not refused: \(outcomes[0])"); return }
            #expect(refusal.key == "requests.duplicate")
            guard case .created(let stored) = outcomes[1] else { Issue.record("the medicine form was not filed: \(outcomes[1])"); return }
            #expect(stored.request.category == .medicine)
            let keyed = try await app.store.read { db in try await RequestRecords.requestID(idempotencyKey: "form-9", scope: RequestRecords.encode(actor), on: db) }
            #expect(keyed == stored.request.id)
        }
    }

    @Test("a form sent again after its sender lost the household's place is not answered with the request it made", arguments: TestEngine.available)
    func replayOutsidePlaces(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (leader, token, household) = try await Self.leaderAndHousehold(app, client)
            let filed = try await RequestFiling.file(token, household: household, key: "form-11", client: client)
            #expect(filed.status == .created)
            // The leader moves to another building of the compound.
            let building = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: leader.placeID, on: db) })
            let compound = try #require(building.parentID)
            let siblings = try await app.store.read { db in try await DirectoryRecords.children(of: compound, on: db) }
            let other = try #require(siblings.first { $0.place.id != leader.placeID && $0.place.level == .building }?.place)
            try await app.store.write { db in
                try await db.raw("""
                    UPDATE role_assignments SET place_id = \(bind: other.id), path = \(bind: other.path.rawValue)
                    WHERE place_id = \(bind: leader.placeID) AND user_id = (SELECT id FROM users WHERE phone = \(bind: leader.phone))
                    """).run()
            }
            app.services.forgetSessions { _ in true }
            let moved = try await client.token(phone: leader.phone)
            let otherHousehold = try await app.household(under: other.id)
            let again = try await RequestFiling.file(moved, household: otherHousehold, key: "form-11", client: client)
            #expect(again.status == .notFound)
            #expect(!String(buffer: again.body).contains("想团购"))
        }
    }

    /// Stands in for another node on PostgreSQL: its request of the same kind refuses this node's
    /// insert (a unique violation), and is closed again before this node reads what stood in the
    /// way. The first `refusals` inserts of a request described `description` are refused; a
    /// sequence counts the attempts, since it keeps counting through the rollback of each.
    static func raceAnotherNode(refusals: Int, description: String, store: Store) async throws {
        try await store.write { db in
            try await db.raw("CREATE SEQUENCE insert_attempts").run()
            try await db.raw("""
                CREATE FUNCTION refuse_as_if_raced() RETURNS trigger AS $$
                BEGIN
                    IF NEW.description = '\(unsafeRaw: description)' AND nextval('insert_attempts') <= \(unsafeRaw: "\(refusals)") THEN
                        RAISE EXCEPTION 'another node filed this kind' USING ERRCODE = 'unique_violation';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql
                """).run()
            try await db.raw("CREATE TRIGGER refuse_as_if_raced BEFORE INSERT ON requests FOR EACH ROW EXECUTE FUNCTION refuse_as_if_raced()").run()
        }
    }

    static func insertAttempts(_ store: Store) async throws -> Int? {
        try await store.read { db in try await db.raw("SELECT last_value AS n FROM insert_attempts").first()?.decode(column: "n", as: Int.self) }
    }

    @Test("on PostgreSQL, a filing refused by another node's request that was closed before it could be found is filed once more", .enabled(if: TestEngine.postgresURL != nil, "needs LINLI_TEST_POSTGRES_URL"))
    func raceLostThenFiled() async throws {
        try await TestApp.run(.postgres) { app, client in
            let (_, token, household) = try await Self.leaderAndHousehold(app, client)
            try await Self.raceAnotherNode(refusals: 1, description: "抢着报的同一件事", store: app.store)
            let answer = try await RequestFiling.file(token, household: household, description: "抢着报的同一件事", key: "form-12", client: client)
            #expect(answer.status == .created, "\(String(buffer: answer.body))")
            let id = try answer.jsonObject()["id"] as? Int
            let stored = try await app.store.read { db in
                try await db.raw("SELECT id FROM requests WHERE household_id = \(bind: household)").all().map { try $0.decode(column: "id", as: Int.self) }
            }
            #expect(stored == [id], "one request, the one answered")
            #expect(try await Self.insertAttempts(app.store) == 2)
            let replay = try await RequestFiling.file(token, household: household, description: "抢着报的同一件事", key: "form-12", client: client)
            #expect(replay.status == .ok)
            #expect(try replay.jsonObject()["id"] as? Int == id)
        }
    }

    @Test("on PostgreSQL, a filing refused again and again by races it cannot find is answered 503 after three tries, to be sent again", .enabled(if: TestEngine.postgresURL != nil, "needs LINLI_TEST_POSTGRES_URL"))
    func raceLostEveryTime() async throws {
        try await TestApp.run(.postgres) { app, client in
            let (_, token, household) = try await Self.leaderAndHousehold(app, client)
            try await Self.raceAnotherNode(refusals: 100, description: "一直抢不到", store: app.store)
            let answer = try await RequestFiling.file(token, household: household, description: "一直抢不到", client: client)
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.headers[.retryAfter] == "1")
            #expect(try Self.errorCode(answer) == "requests.busy")
            #expect(try await Self.insertAttempts(app.store) == RequestIntake.filingAttempts)
            let stored = try await app.store.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM requests WHERE household_id = \(bind: household)").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stored == 0)
        }
    }
}
