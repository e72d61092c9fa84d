import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import Testing

@Suite("Rumours over HTTP: reports matched across wordings, verified false, escalated by the clock, corrected to the groups' robot, retracted")
struct RumourHTTPTests {
    /// 2022-04-12 09:00 in Shanghai.
    static let morning = Date(timeIntervalSince1970: 1_649_725_200)

    struct World {
        var building: PlaceID
        var compound: PlaceID
        var committee: PlaceID
        var leader: String
        var officer: String
        var officerID: Int64
        var lead: String
        var leadID: Int64
        var staff: String
    }

    static func world(_ app: TestApp, client: some TestClientProtocol) async throws -> World {
        let leader = try app.account(.buildingLeader)
        let lead = try app.account(.compoundLead)
        let officer = try app.account(.informationOfficer)
        let staff = try app.account(.committeeStaff)
        let ids = try await app.store.read { db in
            (try await UserRecords.user(phone: officer.phone, on: db)?.id, try await UserRecords.user(phone: lead.phone, on: db)?.id)
        }
        let building = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: leader.placeID, on: db) })
        try #require(building.path.ids.contains(lead.placeID) && building.path.ids.contains(officer.placeID) && building.path.ids.contains(staff.placeID))
        return World(building: leader.placeID, compound: lead.placeID, committee: officer.placeID,
                     leader: try await client.token(phone: leader.phone), officer: try await client.token(phone: officer.phone),
                     officerID: try #require(ids.0).rawValue, lead: try await client.token(phone: lead.phone), leadID: try #require(ids.1).rawValue,
                     staff: try await client.token(phone: staff.phone))
    }

    static func report(_ text: String, at place: PlaceID, group: Int? = nil, token: String, client: some TestClientProtocol) async throws -> [String: Any] {
        let groupField = group.map { #","chat_group_id":\#($0)"# } ?? ""
        let body = try JSONSerialization.data(withJSONObject: ["place_id": place.rawValue, "text": text])
        var json = String(decoding: body, as: UTF8.self)
        json.removeLast()
        let response = try await client.json("/api/v1/rumours/reports", method: .post, token: token, body: json + groupField + "}")
        try #require(response.status == .created, "\(response.text)")
        return try response.jsonObject()
    }

    static func rumourID(_ filed: [String: Any]) throws -> Int {
        try #require((filed["rumour"] as? [String: Any])?["id"] as? Int)
    }

    @Test("two wordings of one claim are one rumour; verified false; escalated at 60 minutes; corrected, pushed to the group's robot, retracted; every reporter told",
          arguments: TestEngine.available)
    func reportedToRetracted(engine: TestEngine) async throws {
        let receiver = FakeReceiver(status: .ok)
        try await receiver.serve { port in
            let clock = ManualClock(Self.morning)
            try await TestApp.run(engine, now: { clock.now }, webhookNetworks: NotificationDeliveryTests.localReceiver) { app, client in
                let world = try await Self.world(app, client: client)
                let runner = JobRunner(store: app.store, owner: "test", handlers: jobHandlers(services: app.services), now: { clock.now })
                let admin = try await client.token(phone: try app.account(.admin).phone)
                let hook = try await client.json("/api/v1/places/\(world.compound)/webhooks", method: .post, token: admin,
                                                 body: #"{"kind":"http","url":"http://127.0.0.1:\#(port)/hook","secret":"s3cret"}"#)
                try #require(hook.status == .created, "\(hook.text)")
                let hookID = try #require(try hook.jsonObject()["id"] as? Int)

                // The compound's group, watched by the officer with the compound lead as backup.
                let group = try await client.json("/api/v1/chat-groups", method: .post, token: world.officer, body: """
                    {"place_id":\(world.compound),"name":"3号楼业主群","platform":"wechat","officer_user_id":\(world.officerID),"backup_user_id":\(world.leadID),"target_id":\(hookID)}
                    """)
                try #require(group.status == .created, "\(group.text)")
                let groupID = try #require(try group.jsonObject()["id"] as? Int)
                #expect(try await client.json("/api/v1/chat-groups", method: .post, token: world.leader,
                                              body: #"{"place_id":\#(world.building),"name":"楼栋群","platform":"wechat"}"#).status == .forbidden,
                        "a building leader reports rumours but does not keep the group register")
                var coverage = try await client.json("/api/v1/chat-groups/coverage?place=\(world.committee)", method: .get, token: world.officer)
                #expect(try coverage.status == .ok && (coverage.jsonObject()["uncovered"] as? [Any])?.isEmpty == true, "\(coverage.text)")
                let lonely = try await client.json("/api/v1/chat-groups", method: .post, token: world.officer,
                                                   body: #"{"place_id":\#(world.compound),"name":"团购群","platform":"wecom","officer_user_id":\#(world.officerID)}"#)
                try #require(lonely.status == .created)
                coverage = try await client.json("/api/v1/chat-groups/coverage?place=\(world.committee)", method: .get, token: world.officer)
                let uncovered = try #require(try coverage.jsonObject()["uncovered"] as? [[String: Any]])
                #expect(uncovered.count == 1 && uncovered.first?["name"] as? String == "团购群" && uncovered.first?["gaps"] as? [String] == ["backup"])

                // The first report is a new rumour; the second, forwarded with other punctuation and an emoji, joins it.
                let first = try await Self.report("紧急通知！居委会把政府发的救济物资全部私分了，大家都没份！", at: world.building, group: groupID, token: world.leader, client: client)
                #expect(first["match"] as? String == "new")
                let rumour = try Self.rumourID(first)
                clock.advance(5 * 60)
                let second = try await Self.report("转：居委会把政府发的救济物资全部私分了！！大家都没份😡", at: world.compound, token: world.officer, client: client)
                #expect(try second["match"] as? String == "automatic" && (Self.rumourID(second)) == rumour, "\(second)")
                // A looser wording is only suggested; a person confirms it.
                let third = try await Self.report("【转发】听说居委会把政府发的救济物资都私分了，我们大家都没份", at: world.compound, token: world.lead, client: client)
                #expect(third["match"] as? String == "new" && third["suggested_rumour_id"] as? Int == rumour, "\(third)")
                let thirdReport = try #require(third["report_id"] as? Int)
                #expect(try await client.json("/api/v1/rumours/reports/\(thirdReport)/match", method: .post, token: world.leader,
                                              body: #"{"rumour_id":\#(rumour)}"#).status == .notFound, "the rumour seen at the compound is outside a building leader")
                let confirmed = try await client.json("/api/v1/rumours/reports/\(thirdReport)/match", method: .post, token: world.officer, body: #"{"rumour_id":\#(rumour)}"#)
                #expect(try confirmed.status == .ok && (confirmed.jsonObject()["report_count"] as? Int) == 3, "\(confirmed.text)")
                // The opposite claim is another rumour, and not suggested.
                let opposite = try await Self.report("居委会没有私分救济物资，已经全部发到各家各户", at: world.compound, token: world.officer, client: client)
                #expect(opposite["match"] as? String == "new" && opposite["suggested_rumour_id"] == nil, "\(opposite)")

                // Verified false with an official source.
                #expect(try await client.json("/api/v1/rumours/\(rumour)/status", method: .post, token: world.leader, body: #"{"status":"verifying"}"#).status == .forbidden)
                #expect(try await client.json("/api/v1/rumours/\(rumour)/status", method: .post, token: world.officer, body: #"{"status":"verifying"}"#).status == .ok)
                let evidence = try await client.json("/api/v1/rumours/\(rumour)/evidence", method: .post, token: world.officer,
                                                     body: #"{"kind":"official_source","text":"街道物资台账：4月10日到货 1,200 份，已全部发放","url":"https://example.gov.cn/notice/410"}"#)
                #expect(evidence.status == .created, "\(evidence.text)")
                let verdict = try await client.json("/api/v1/rumours/\(rumour)/status", method: .post, token: world.officer, body: #"{"status":"false","note":"物资台账可查"}"#)
                #expect(try verdict.status == .ok && (verdict.jsonObject()["clock_running"] as? Bool) == true, "\(verdict.text)")
                #expect(try await client.json("/api/v1/rumours/\(rumour)/status", method: .post, token: world.officer, body: #"{"status":"true"}"#).status == .conflict)

                // At 60 minutes the clock passes it from the committee up to the sub-district, and the compound's robot hears it.
                let subdistrict = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: world.committee, on: db) }?.parentID)
                clock.advance(50 * 60)
                try await runner.runDueJobs()
                var detail = try await client.json("/api/v1/rumours/\(rumour)", method: .get, token: world.staff)
                #expect((try detail.jsonObject()["rumour"] as? [String: Any])?["escalation_level"] as? Int == 0, "not yet at 55 minutes")
                clock.advance(6 * 60)
                try await runner.runDueJobs()
                try await runner.runDueJobs()
                detail = try await client.json("/api/v1/rumours/\(rumour)", method: .get, token: world.staff)
                let escalated = try #require(try detail.jsonObject()["rumour"] as? [String: Any])
                #expect(escalated["escalation_level"] as? Int == 1 && escalated["owner_place_id"] as? Int == Int(subdistrict.rawValue), "\(escalated)")
                #expect(await receiver.received.contains { $0.body.contains("rumour.escalated") })

                // Drafted by the officer, approved and published by committee staff.
                let draft = try await client.json("/api/v1/rumours/\(rumour)/corrections", method: .post, token: world.officer,
                                                  body: #"{"facts":"4月10日街道下发的 1,200 份物资已全部发放到户，台账可查。","source":"花木街道办事处"}"#)
                try #require(draft.status == .created, "\(draft.text)")
                let correction = try #require(try draft.jsonObject()["id"] as? Int)
                #expect(try draft.jsonObject()["body"] as? String ?? "" == "近日，居民群里流传“紧急通知！居委会把政府发的救济物资全部私分了，大家都没份！”。经核实，此说法不实。4月10日街道下发的 1,200 份物资已全部发放到户，台账可查。请大家不信谣、不传谣，以官方发布为准。")
                #expect(try await client.json("/api/v1/corrections/\(correction)/status", method: .post, token: world.staff, body: #"{"status":"published"}"#).status == .conflict, "approved first")
                #expect(try await client.json("/api/v1/corrections/\(correction)/status", method: .post, token: world.officer, body: #"{"status":"approved"}"#).status == .forbidden)
                #expect(try await client.json("/api/v1/corrections/\(correction)/status", method: .post, token: world.staff, body: #"{"status":"approved"}"#).status == .ok)
                clock.advance(20 * 60)
                let published = try await client.json("/api/v1/corrections/\(correction)/status", method: .post, token: world.staff, body: #"{"status":"published"}"#)
                #expect(try published.status == .ok && (published.jsonObject()["status"] as? String) == "published", "\(published.text)")
                try await runner.runDueJobs()
                let corrected = await receiver.received.filter { $0.body.contains("rumour.corrected") }
                #expect(corrected.count == 1, "the group's robot is the compound's: one message, not two")
                #expect(corrected.first?.body.contains("台账可查") == true)

                detail = try await client.json("/api/v1/rumours/\(rumour)", method: .get, token: world.staff)
                let closed = try #require(try detail.jsonObject()["rumour"] as? [String: Any])
                #expect(closed["minutes_to_correction"] as? Int == 81 && closed["clock_running"] as? Bool == false, "\(closed)")
                for token in [world.leader, world.officer, world.lead] {
                    let mine = try await client.json("/api/v1/rumours/reports/mine", method: .get, token: token)
                    let reports = try #require(try mine.jsonObject()["reports"] as? [[String: Any]])
                    let told = reports.filter { ($0["report"] as? [String: Any])?["rumour_id"] as? Int == rumour }.compactMap { $0["told"] as? String }
                    #expect(told.count == 1 && told[0].contains("/corrections/\(correction)"), "\(reports)")
                }
                // A later report of the same claim is told the correction at once.
                let late = try await Self.report("居委会把政府发的救济物资全部私分了", at: world.building, token: world.leader, client: client)
                #expect((late["correction"] as? [String: Any])?["id"] as? Int == correction, "\(late)")

                let board = try await client.json("/api/v1/rumours?place=\(world.committee)", method: .get, token: world.staff)
                let weeks = try #require(try board.jsonObject()["weeks"] as? [[String: Any]])
                #expect(weeks.count == 1 && weeks.first?["median_minutes"] as? Double == 81 && weeks.first?["week"] as? String == "2022-04-11", "\(board.text)")
                let running = try #require(try board.jsonObject()["running"] as? [[String: Any]])
                #expect(running.map { $0["id"] as? Int } == [try Self.rumourID(opposite)], "\(running)")

                // Retracted with its reason, pushed where the correction went.
                #expect(try await client.json("/api/v1/corrections/\(correction)/status", method: .post, token: world.staff, body: #"{"status":"retracted","reason":""}"#).status == .badRequest)
                let retracted = try await client.json("/api/v1/corrections/\(correction)/status", method: .post, token: world.staff,
                                                      body: #"{"status":"retracted","reason":"数字有误：到货为 1,100 份，更正后重发"}"#)
                #expect(try retracted.status == .ok && (retracted.jsonObject()["status"] as? String) == "retracted", "\(retracted.text)")
                try await runner.runDueJobs()
                #expect(await receiver.received.contains { $0.body.contains("rumour.retracted") && $0.body.contains("1,100") })
                let mine = try await client.json("/api/v1/rumours/reports/mine", method: .get, token: world.leader)
                #expect(mine.text.contains("已撤回"))
            }
        }
    }

    @Test("an uncorrected rumour climbs a level at 60 minutes and another at 90, each once", arguments: TestEngine.available)
    func twoEscalations(engine: TestEngine) async throws {
        let clock = ManualClock(Self.morning)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let world = try await Self.world(app, client: client)
            let runner = JobRunner(store: app.store, owner: "test", handlers: jobHandlers(services: app.services), now: { clock.now })
            let filed = try await Self.report("明天起全区停水三天，赶紧囤水", at: world.building, token: world.leader, client: client)
            let rumour = try Self.rumourID(filed)
            var levels: [Int] = []
            for minutes in [59, 2, 20, 10, 30, 60] {
                clock.advance(Double(minutes) * 60)
                try await runner.runDueJobs()
                let detail = try await client.json("/api/v1/rumours/\(rumour)", method: .get, token: world.staff)
                levels.append(try #require((try detail.jsonObject()["rumour"] as? [String: Any])?["escalation_level"] as? Int))
            }
            #expect(levels == [0, 1, 1, 2, 2, 2])
            let detail = try await client.json("/api/v1/rumours/\(rumour)", method: .get, token: world.staff)
            let owner = try #require((try detail.jsonObject()["rumour"] as? [String: Any])?["owner_place_id"] as? Int)
            let subdistrict = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: world.committee, on: db) }?.parentID)
            let district = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: subdistrict, on: db) }?.parentID)
            #expect(district.rawValue == Int64(owner), "the committee answers first, the sub-district at 60 minutes, the district at 90")
            #expect(try await client.json("/api/v1/rumours/\(rumour)", method: .get, token: world.leader).status == .ok, "the reporter still sees it")
        }
    }

    @Test("a report's image: its reporter or an officer stores it (JPEG, PNG, WebP by their bytes, at most 6 MB), anyone who sees the rumour reads it", arguments: [TestEngine.sqlite])
    func images(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let world = try await Self.world(app, client: client)
            let filed = try await Self.report("视频：居委会仓库里堆满了救济物资", at: world.building, token: world.leader, client: client)
            let report = try #require(filed["report_id"] as? Int)
            func upload(_ data: Data, type: String, token: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/rumours/reports/\(report)/image", method: .put, headers: [.authorization: "Bearer \(token)", .contentType: type],
                                         body: ByteBuffer(bytes: data))
            }
            let folder = app.services.filesDirectory.appendingPathComponent("rumours/images")
            let before = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.count ?? 0
            #expect(try await upload(Data("<html>".utf8), type: "image/png", token: world.leader).status == .unsupportedMediaType)
            #expect(try await upload(MedicineBoxPhotoTests.png, type: "image/jpeg", token: world.leader).status == .unsupportedMediaType, "declared one type, sent another")
            #expect(try await upload(Data([0xFF, 0xD8, 0xFF]) + Data(repeating: 0, count: BoxPhotoFormat.maximumBytes), type: "image/jpeg", token: world.leader).status == .contentTooLarge)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.count ?? 0) == before, "nothing refused reaches the disk")
            let staffOther = try await client.token(phone: try app.account(.groupBuyLeader).phone)
            #expect(try await upload(MedicineBoxPhotoTests.png, type: "image/png", token: staffOther).status != .ok, "neither its reporter nor an officer")
            #expect(try await upload(MedicineBoxPhotoTests.png, type: "image/png", token: world.leader).status == .ok)
            #expect(try await upload(MedicineBoxPhotoTests.jpeg, type: "image/jpeg", token: world.officer).status == .ok, "an officer replaces it")
            #expect((try FileManager.default.contentsOfDirectory(atPath: folder.path)).count == before + 1, "the replaced file is gone")
            let read = try await client.execute(uri: "/api/v1/rumours/reports/\(report)/image", method: .get, headers: [.authorization: "Bearer \(world.staff)"], body: nil)
            #expect(read.status == .ok && read.headers[.contentType] == "image/jpeg" && Data(buffer: read.body) == MedicineBoxPhotoTests.jpeg)
        }
    }

    @Test("bad input is refused with the field named; nothing is filed", arguments: [TestEngine.sqlite])
    func badInput(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let world = try await Self.world(app, client: client)
            for (body, field) in [(#"{"place_id":\#(world.building)}"#, "text"), (#"{"text":"有人说"}"#, "place_id"),
                                  (#"{"place_id":\#(world.building),"text":"\#(String(repeating: "谣", count: 5_001))"}"#, "text"),
                                  (#"{"place_id":\#(world.building),"text":"a","link":"not a link"}"#, "link"),
                                  (#"{"place_id":\#(world.building),"text":"a","seen_at":"yesterday"}"#, "seen_at"),
                                  (#"{"place_id":\#(world.building),"text":"a","chat_group_id":-1}"#, "chat_group_id")] {
                let response = try await client.json("/api/v1/rumours/reports", method: .post, token: world.leader, body: body)
                #expect(response.status == .badRequest && response.text.contains(field), "\(body): \(response.status) \(response.text)")
            }
            #expect(try await client.json("/api/v1/rumours/reports", method: .post, token: world.leader, body: #"{"place_id":999999,"text":"a"}"#).status == .notFound)
            #expect(try await client.json("/api/v1/chat-groups", method: .post, token: world.officer,
                                          body: #"{"place_id":\#(world.compound),"name":"群","platform":"telegram"}"#).status == .badRequest)
            #expect(try await client.json("/api/v1/chat-groups", method: .post, token: world.officer,
                                          body: #"{"place_id":\#(world.compound),"name":"群","platform":"qq","officer_user_id":\#(world.officerID),"backup_user_id":\#(world.officerID)}"#).status == .badRequest)
            let count = try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM rumour_reports").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 0)
        }
    }
}
