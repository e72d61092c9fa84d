import Foundation
import LinliCore
import LinliStore
import Testing

extension AccessMatrixTests {
    /// Chat groups, rumours and corrections: each at the place a `.place` aim names, with the same
    /// relation; RumourHTTPTests checks the answers themselves. A rumour seen in a building is
    /// answered for by its committee, which none of the callers outside or above sees into.
    static let rumourMatrix: [(route: String, probes: [Probe])] = [
        ("POST /api/v1/chat-groups", [
            Probe(label: "chat group, no place", uri: "/api/v1/chat-groups", target: .none, rule: .anyUser, allowed: .badRequest, body: "{}", field: "place_id"),
        ]),
        ("GET /api/v1/chat-groups", [
            Probe(label: "chat groups", uri: "/api/v1/chat-groups?place={id}", target: .place, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/chat-groups/coverage", [
            Probe(label: "coverage", uri: "/api/v1/chat-groups/coverage?place={id}", target: .place, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("PUT /api/v1/chat-groups/{id}", [
            Probe(label: "chat group, no name", uri: "/api/v1/chat-groups/{id}", target: .chatGroup, rule: .capability(.verifyRumours, wayDown: false),
                  allowed: .badRequest, body: "{}", field: "name"),
        ]),
        ("POST /api/v1/rumours/reports", [
            Probe(label: "report, no text", uri: "/api/v1/rumours/reports", target: .none, rule: .anyUser, allowed: .badRequest, body: "{}", field: "text"),
        ]),
        ("GET /api/v1/rumours/reports/mine", [
            Probe(label: "my reports", uri: "/api/v1/rumours/reports/mine", target: .none, rule: .anyUser, allowed: .ok),
        ]),
        ("POST /api/v1/rumours/reports/{id}/match", [
            Probe(label: "match, no rumour", uri: "/api/v1/rumours/reports/{id}/match", target: .rumourReport, rule: .capability(.verifyRumours, wayDown: false),
                  allowed: .badRequest, body: "{}", field: "rumour_id"),
        ]),
        ("PUT /api/v1/rumours/reports/{id}/image", [
            Probe(label: "report image, empty", uri: "/api/v1/rumours/reports/{id}/image", target: .rumourReport, rule: .capability(.verifyRumours, wayDown: false),
                  allowed: .badRequest, body: "", field: "image"),
        ]),
        ("GET /api/v1/rumours/reports/{id}/image", [
            Probe(label: "report image", uri: "/api/v1/rumours/reports/{id}/image", target: .rumourReport, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/rumours", [
            Probe(label: "rumour board", uri: "/api/v1/rumours?place={id}", target: .place, rule: .capability(.reportRumours, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/rumours/{id}", [
            Probe(label: "rumour", uri: "/api/v1/rumours/{id}", target: .rumour, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/rumours/{id}/status", [
            Probe(label: "status, none", uri: "/api/v1/rumours/{id}/status", target: .rumour, rule: .capability(.verifyRumours, wayDown: false),
                  allowed: .badRequest, body: "{}", field: "status"),
        ]),
        ("POST /api/v1/rumours/{id}/evidence", [
            Probe(label: "evidence, no kind", uri: "/api/v1/rumours/{id}/evidence", target: .rumour, rule: .capability(.verifyRumours, wayDown: false),
                  allowed: .badRequest, body: "{}", field: "kind"),
        ]),
        ("POST /api/v1/rumours/{id}/escalation", [
            Probe(label: "escalation, no reason", uri: "/api/v1/rumours/{id}/escalation", target: .rumour, rule: .capability(.verifyRumours, wayDown: false),
                  allowed: .badRequest, body: "{}", field: "reason"),
        ]),
        ("POST /api/v1/rumours/{id}/corrections", [
            Probe(label: "correction, no facts", uri: "/api/v1/rumours/{id}/corrections", target: .rumour, rule: .capability(.verifyRumours, wayDown: false),
                  allowed: .badRequest, body: "{}", field: "facts"),
        ]),
        ("POST /api/v1/corrections/{id}/status", [
            Probe(label: "correction status, none", uri: "/api/v1/corrections/{id}/status", target: .correction, rule: .capability(.publishInformation, wayDown: false),
                  allowed: .badRequest, body: "{}", field: "status"),
        ]),
    ]

    /// Gives every caller `.rumour`, `.rumourReport`, `.correction` and `.chatGroup` aims: at each
    /// place its `.place` aims name, a rumour found false with one report and a draft correction,
    /// and a chat group; and the missing id.
    static func addRumours(to callers: [Caller], app: TestApp) async throws -> [Caller] {
        var made: [Int64: (rumour: Int64, report: Int64, correction: Int64, group: Int64)] = [:]
        let now = Date(timeIntervalSince1970: 1_650_000_000)
        var result: [Caller] = []
        for var caller in callers {
            var aims: [Target: [Aim]] = [.rumour: [], .rumourReport: [], .correction: [], .chatGroup: []]
            for aim in caller.targets[.place] ?? [] {
                guard aim.relation != .missing else {
                    for target in aims.keys { aims[target, default: []].append(aim) }
                    continue
                }
                if made[aim.id] == nil {
                    made[aim.id] = try await app.store.write { db -> (Int64, Int64, Int64, Int64) in
                        let place = try #require(try await DirectoryRecords.place(id: PlaceID(aim.id), on: db))
                        let user = try #require(try await db.raw("SELECT MIN(id) AS id FROM users").first()?.decode(column: "id", as: UserID.self))
                        let report = RumourRecords.NewReport(text: "矩阵传言 \(aim.id)", link: nil, normalizedHash: "matrix-\(aim.id)", chatGroupID: nil, seenPlace: place,
                                                             seenAt: now, reportedBy: user, imageFile: nil, imageType: nil)
                        let owner = try await RumourRecords.firstOwner(of: place, on: db)
                        let (rumour, reportID) = try await RumourRecords.createRumour(with: report, owner: owner, now: now, suggested: nil, on: db)
                        _ = try await RumourRecords.setStatus(rumour, to: .false, expected: .reported, note: nil, by: user, at: now, on: db)
                        let correction = try await RumourRecords.createCorrection(rumourID: rumour, title: "矩阵辟谣", body: "不实", source: "街道", by: user, at: now,
                                                                                  district: place.districtID, on: db)
                        // Each report has its image on disk, so reading it is allowed or refused, never missing.
                        let folder = app.services.filesDirectory.appendingPathComponent("rumours/images", isDirectory: true)
                        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]).write(to: folder.appendingPathComponent("\(reportID)-matrix.png"))
                        _ = try await RumourRecords.setImage(reportID: reportID, file: "\(reportID)-matrix.png", type: "image/png", on: db)
                        let group = try await RumourRecords.createChatGroup(placeID: place.id, name: "矩阵群", platform: .wechat, officer: nil, backup: nil, targetID: nil,
                                                                            now: now, on: db)
                        return (rumour.rawValue, reportID.rawValue, correction.rawValue, group.rawValue)
                    }
                }
                let ids = try #require(made[aim.id])
                aims[.rumour, default: []].append(Aim(aim.relation, ids.rumour))
                aims[.rumourReport, default: []].append(Aim(aim.relation, ids.report))
                aims[.correction, default: []].append(Aim(aim.relation, ids.correction))
                aims[.chatGroup, default: []].append(Aim(aim.relation, ids.group))
            }
            for (target, list) in aims { caller.targets[target] = list }
            result.append(caller)
        }
        return result
    }
}
