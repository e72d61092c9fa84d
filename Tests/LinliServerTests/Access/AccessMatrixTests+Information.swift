import Foundation
import LinliCore
import LinliStore
import Testing

extension AccessMatrixTests {
    /// The answers library and notices: a published answer and a notice at each place a `.place`
    /// aim names, with the same relation, and a notice at the city (the first written, id 1) that
    /// every user sees; AnswerHTTPTests and NoticeHTTPTests check the answers themselves.
    static let informationMatrix: [(route: String, probes: [Probe])] = [
        ("GET /api/v1/answers", [
            Probe(label: "search answers", uri: "/api/v1/answers?q=%E5%8C%BB%E9%99%A2", target: .none, rule: .open, allowed: .ok),
        ]),
        ("GET /api/v1/answers/{id}", [
            Probe(label: "an answer", uri: "/api/v1/answers/{id}", target: .answer, rule: .published, allowed: .ok),
        ]),
        ("POST /api/v1/answers", [
            Probe(label: "answer, no place", uri: "/api/v1/answers", target: .none, rule: .anyUser, allowed: .badRequest, body: "{}", field: "place_id"),
        ]),
        ("PUT /api/v1/answers/{id}", [
            Probe(label: "answer, no question", uri: "/api/v1/answers/{id}", target: .answer, rule: .sharedDown(.verifyRumours, households: false),
                  allowed: .badRequest, body: #"{"question":" "}"#, field: "question"),
        ]),
        ("POST /api/v1/answers/{id}/publish", [
            Probe(label: "publish an answer", uri: "/api/v1/answers/{id}/publish", target: .answer, rule: .sharedDown(.publishInformation, households: false), allowed: .ok),
        ]),
        ("POST /api/v1/answers/{id}/retire", [
            // A reason too long: refused once the caller may retire it, so the answer stays published for the next caller.
            Probe(label: "retire, reason too long", uri: "/api/v1/answers/{id}/retire", target: .answer, rule: .sharedDown(.verifyRumours, households: false),
                  allowed: .badRequest, body: #"{"reason":"\#(String(repeating: "旧", count: 201))"}"#, field: "reason"),
        ]),
        ("GET /api/v1/notices", [
            Probe(label: "notices", uri: "/api/v1/notices", target: .none, rule: .session, allowed: .ok),
        ]),
        ("POST /api/v1/notices", [
            Probe(label: "notice, no place", uri: "/api/v1/notices", target: .none, rule: .anyUser, allowed: .badRequest, body: "{}", field: "place_id"),
        ]),
        ("POST /api/v1/notices/{id}/read", [
            Probe(label: "confirm a notice", uri: "/api/v1/notices/{id}/read", target: .notice, rule: .ownNotice, allowed: .ok),
        ]),
        ("GET /api/v1/notices/{id}/unread", [
            Probe(label: "unread doors of the city's notice", uri: "/api/v1/notices/1/unread?place={id}", target: .place, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/briefings", [
            Probe(label: "briefing, no place", uri: "/api/v1/briefings", target: .none, rule: .anyUser, allowed: .badRequest, body: "{}", field: "place_id"),
        ]),
        ("GET /api/v1/briefings", [
            Probe(label: "a place's briefings", uri: "/api/v1/briefings?place={id}", target: .place, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        // The briefings are published: anyone who sees the place reads one; only staff who
        // publish there get past the access checks to the refusal to change a published one.
        ("GET /api/v1/briefings/{id}", [
            Probe(label: "a published briefing", uri: "/api/v1/briefings/{id}", target: .briefing, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("PUT /api/v1/briefings/{id}", [
            Probe(label: "edit a published briefing", uri: "/api/v1/briefings/{id}", target: .briefing, rule: .capability(.publishInformation, wayDown: false),
                  allowed: .conflict, body: #"{"text":"改"}"#),
        ]),
        ("POST /api/v1/briefings/{id}/publish", [
            Probe(label: "publish a published briefing", uri: "/api/v1/briefings/{id}/publish", target: .briefing, rule: .capability(.publishInformation, wayDown: false),
                  allowed: .conflict),
        ]),
    ]

    /// Gives every caller `.answer` and `.notice` aims: a published answer and a notice at each
    /// place its `.place` aims name, and the missing id. The city's notice is written first.
    static func addInformation(to callers: [Caller], app: TestApp) async throws -> [Caller] {
        let now = Date()
        let engine = app.store.engine
        let user = try #require(try await app.store.read { db in try await db.raw("SELECT MIN(id) AS id FROM users").first()?.decode(column: "id", as: UserID.self) })
        let city = try app.account(.admin).placeID
        let cityNotice = try await app.store.write { db in
            try await NoticeRecords.publish(placeID: city, title: "全市通知", body: "矩阵测试", source: "市防控办", by: user, now: now, on: db)
        }
        #expect(cityNotice.rawValue == 1, "the unread probe names the city's notice as 1")
        var made: [Int64: (answer: Int64, notice: Int64, briefing: Int64)] = [:]
        var result: [Caller] = []
        for var caller in callers {
            var answers: [Aim] = []
            var notices: [Aim] = []
            var briefings: [Aim] = []
            for aim in caller.targets[.place] ?? [] {
                guard aim.relation != .missing else { answers.append(aim); notices.append(aim); briefings.append(aim); continue }
                if made[aim.id] == nil {
                    made[aim.id] = try await app.store.write { db -> (Int64, Int64, Int64) in
                        let place = PlaceID(aim.id)
                        let draft = AnswerText(question: "矩阵问题", body: "矩阵答复", source: "居委会", sourceLink: nil, validFrom: nil, validUntil: nil)
                        let answer = try await AnswerRecords.create(draft, placeID: place, by: user, now: now, engine: engine, on: db)
                        try await AnswerRecords.setState(answer, to: .published, by: user, now: now, on: db)
                        let notice = try await NoticeRecords.publish(placeID: place, title: "矩阵通知", body: "矩阵测试", source: "居委会", by: user, now: now, on: db)
                        let briefingPlace = try #require(try await DirectoryRecords.place(id: place, on: db))
                        let figures = BriefingFigures(placeName: briefingPlace.name, day: "2022-04-12", requestsFiled: 0, requestsDone: 0, requestsOverdue: 0,
                                                      medicineHouseholds: nil, reliefHouseholds: nil, surveyVisited: nil, surveyHouseholds: nil, volunteersOnDuty: nil, week: [])
                        let briefing = try #require(try await BriefingRecords.draft(place: briefingPlace, figures: figures, text: "矩阵简报", at: now, replacing: false, on: db))
                        _ = try await BriefingRecords.publish(briefing, by: user, at: now, on: db)
                        return (answer.rawValue, notice.rawValue, briefing.rawValue)
                    }
                }
                let ids = try #require(made[aim.id])
                answers.append(Aim(aim.relation, ids.answer))
                notices.append(Aim(aim.relation, ids.notice))
                briefings.append(Aim(aim.relation, ids.briefing))
            }
            caller.targets[.answer] = answers
            caller.targets[.notice] = notices
            caller.targets[.briefing] = briefings
            result.append(caller)
        }
        return result
    }
}
