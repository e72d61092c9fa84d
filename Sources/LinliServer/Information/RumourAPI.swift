import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Chat groups with their officers, rumour reports, verification, the clock's escalations and
/// corrections, over JSON.
struct RumourAPI {
    let services: AppServices

    struct ChatGroupBody: Decodable {
        var place_id: Int64?
        var name: String?
        var platform: String?
        var officer_user_id: Int64?
        var backup_user_id: Int64?
        var target_id: Int64?
    }
    struct ReportBody: Decodable {
        var place_id: Int64?
        var chat_group_id: Int64?
        var text: String?
        var link: String?
        var seen_at: String?
    }
    struct StatusBody: Decodable {
        var status: String?
        var note: String?
    }
    struct CorrectionStatusBody: Decodable {
        var status: String?
        var reason: String?
    }
    struct EvidenceBody: Decodable {
        var kind: String?
        var text: String?
        var url: String?
    }
    struct MatchBody: Decodable { var rumour_id: Int64? }
    struct CorrectionBody: Decodable {
        var facts: String?
        var source: String?
        var title: String?
    }
    struct RetractBody: Decodable { var reason: String? }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        let rumours = RumourService(services: services)
        router.post("chat-groups") { request, context -> EditedResponse<ChatGroupView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: ChatGroupBody.self, context: context)
            let place = try Self.placeID(body.place_id)
            let fields = try Self.groupFields(body)
            return EditedResponse(status: .created, response: ChatGroupView(try await rumours.addChatGroup(fields, at: place, identity: identity, traceID: context.traceID)))
        }
        router.get("chat-groups") { request, context -> ChatGroupListView in
            let identity = try context.requireUser()
            return ChatGroupListView(groups: try await rumours.chatGroups(under: try CardCustodyService.placeParameter(request), identity: identity).map(ChatGroupView.init))
        }
        router.get("chat-groups/coverage") { request, context -> ChatGroupCoverageView in
            let identity = try context.requireUser()
            let groups = try await rumours.chatGroups(under: try CardCustodyService.placeParameter(request), identity: identity)
            return ChatGroupCoverageView(groups: groups.count, uncovered: groups.filter { !$0.group.gaps.isEmpty }.map(ChatGroupView.init))
        }
        router.put("chat-groups/:id") { request, context -> ChatGroupView in
            let identity = try context.requireUser()
            let id: ChatGroupID = try context.parameters.id()
            let group = try await rumours.chatGroup(id, identity: identity)
            guard identity.grants.allows(.verifyRumours, at: group.path) else { throw AppError.forbidden }
            let body = try await request.decodeJSON(as: ChatGroupBody.self, context: context)
            return ChatGroupView(try await rumours.updateChatGroup(id, fields: try Self.groupFields(body), identity: identity, traceID: context.traceID))
        }
        router.post("rumours/reports") { request, context -> EditedResponse<FiledReportView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: ReportBody.self, context: context)
            let new = try Self.newReport(body)
            let filed = try await rumours.report(new, identity: identity, traceID: context.traceID)
            let now = services.now()
            return EditedResponse(status: .created, response: FiledReportView(reportID: filed.reportID, rumour: RumourView(filed.rumour, now: now), match: filed.match,
                                                                            score: filed.score, suggestedRumourID: filed.suggested,
                                                                            correction: filed.correction.map(CorrectionView.init)))
        }
        router.get("rumours/reports/mine") { _, context -> MyReportsView in
            let identity = try context.requireUser()
            let reports = try await services.store.read { db in try await RumourRecords.reports(by: identity.user.id, on: db) }
            return MyReportsView(reports: reports.map { MyReportView(report: RumourReportView($0.0), told: $0.1) })
        }
        router.post("rumours/reports/:id/match") { request, context -> RumourView in
            let identity = try context.requireUser()
            let id: RumourReportID = try context.parameters.id()
            let source = try await rumours.reportForMatching(id, identity: identity)
            let body = try await request.decodeJSON(as: MatchBody.self, context: context)
            guard let target = body.rumour_id else { throw AppError.required("rumour_id") }
            guard target > 0 else { throw AppError.invalid("rumour_id") }
            return RumourView(try await rumours.confirmMatch(id, from: source, into: RumourID(target), identity: identity, traceID: context.traceID), now: services.now())
        }
        router.put("rumours/reports/:id/image") { request, context -> RumourReportView in
            let identity = try context.requireUser()
            let id: RumourReportID = try context.parameters.id()
            let images = RumourImages(services: services)
            _ = try await images.reportForImage(id, identity: identity)
            let body = try await request.body.collect(upTo: BoxPhotoFormat.maximumBytes)
            try await images.store(Data(buffer: body), declaredType: request.headers[.contentType], reportID: id, identity: identity, traceID: context.traceID)
            guard let report = try await services.store.read({ db in try await RumourRecords.report(id: id, on: db) }) else { throw AppError.notFound }
            return RumourReportView(report)
        }
        router.get("rumours/reports/:id/image") { _, context -> Response in
            let identity = try context.requireUser()
            let (data, format) = try await RumourImages(services: services).read(try context.parameters.id(), identity: identity)
            return MedicineBoxPhotos.response(data, format: format)
        }
        router.get("rumours") { request, context -> RumourBoardView in
            let identity = try context.requireUser()
            let board = try await rumours.board(under: try CardCustodyService.placeParameter(request), identity: identity)
            let now = services.now()
            return RumourBoardView(running: board.running.map { RumourView($0, now: now) }, closed: board.closed.map { RumourView($0, now: now) },
                                   weeks: board.weeks.map { .init(week: $0.week, medianMinutes: $0.median, corrected: $0.count) })
        }
        router.get("rumours/:id") { _, context -> RumourDetailView in
            let identity = try context.requireUser()
            let detail = try await rumours.detail(try context.parameters.id(), identity: identity)
            return RumourDetailView(rumour: RumourView(detail.rumour, now: services.now()), reports: detail.reports.map(RumourReportView.init),
                                    evidence: detail.evidence.map(EvidenceView.init), corrections: detail.corrections.map(CorrectionView.init))
        }
        // Verifying and every verdict are one route: the body names the step.
        router.post("rumours/:id/status") { request, context -> RumourView in
            let identity = try context.requireUser()
            let id: RumourID = try context.parameters.id()
            let stored = try await rumours.rumour(id, identity: identity)
            try await rumours.require(.verifyRumours, on: stored, identity: identity)
            let body = try await request.decodeJSON(as: StatusBody.self, context: context)
            guard let text = body.status, !text.isEmpty else { throw AppError.required("status") }
            guard let status = RumourStatus(rawValue: text), status != .reported else { throw AppError.invalid("status") }
            let note = try Self.text(body.note, field: "note", max: RumourService.maximumNote)
            let moved = status == .verifying
                ? try await rumours.startVerifying(id, identity: identity, traceID: context.traceID)
                : try await rumours.decide(id, verdict: status, note: note, identity: identity, traceID: context.traceID)
            return RumourView(moved, now: services.now())
        }
        router.post("rumours/:id/evidence") { request, context -> EditedResponse<EvidenceIDView> in
            let identity = try context.requireUser()
            let id: RumourID = try context.parameters.id()
            try await rumours.require(.verifyRumours, on: try await rumours.rumour(id, identity: identity), identity: identity)
            let body = try await request.decodeJSON(as: EvidenceBody.self, context: context)
            guard let kindText = body.kind, !kindText.isEmpty else { throw AppError.required("kind") }
            guard let kind = RumourEvidenceKind(rawValue: kindText), kind != .photo else { throw AppError.invalid("kind") }
            let text = try Self.required(body.text, field: "text", max: RumourService.maximumNote)
            let url = try Self.link(body.url, field: "url")
            let evidenceID = try await rumours.addEvidence(id, kind: kind, text: text, url: url, identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: EvidenceIDView(id: evidenceID))
        }
        router.post("rumours/:id/escalation") { request, context -> RumourView in
            let identity = try context.requireUser()
            let id: RumourID = try context.parameters.id()
            try await rumours.require(.verifyRumours, on: try await rumours.rumour(id, identity: identity), identity: identity)
            let body = try await request.decodeJSON(as: RetractBody.self, context: context)
            let reason = try Self.required(body.reason, field: "reason", max: RumourService.maximumNote)
            return RumourView(try await rumours.escalateNow(id, reason: reason, identity: identity, traceID: context.traceID), now: services.now())
        }
        router.post("rumours/:id/corrections") { request, context -> EditedResponse<CorrectionView> in
            let identity = try context.requireUser()
            let id: RumourID = try context.parameters.id()
            try await rumours.require(.verifyRumours, on: try await rumours.rumour(id, identity: identity), identity: identity)
            let body = try await request.decodeJSON(as: CorrectionBody.self, context: context)
            let facts = try Self.required(body.facts, field: "facts", max: RumourService.maximumNote)
            let source = try Self.required(body.source, field: "source", max: 200)
            let title = try Self.text(body.title, field: "title", max: 120)
            return EditedResponse(status: .created, response: CorrectionView(try await rumours.draftCorrection(id, facts: facts, source: source, title: title,
                                                                                                             identity: identity, traceID: context.traceID)))
        }
        // Approving, publishing and retracting are one route: the body names the step.
        router.post("corrections/:id/status") { request, context -> CorrectionView in
            let identity = try context.requireUser()
            let id: RumourCorrectionID = try context.parameters.id()
            let (_, stored) = try await rumours.correction(id, identity: identity)
            try await rumours.require(.publishInformation, on: stored, identity: identity)
            let body = try await request.decodeJSON(as: CorrectionStatusBody.self, context: context)
            guard let text = body.status, !text.isEmpty else { throw AppError.required("status") }
            switch CorrectionStatus(rawValue: text) {
            case .approved:
                return CorrectionView(try await rumours.approveCorrection(id, identity: identity, traceID: context.traceID))
            case .published:
                return CorrectionView(try await rumours.publishCorrection(id, identity: identity, traceID: context.traceID))
            case .retracted:
                let reason = try Self.required(body.reason, field: "reason", max: RumourService.maximumNote)
                return CorrectionView(try await rumours.retractCorrection(id, reason: reason, identity: identity, traceID: context.traceID))
            case .draft, nil:
                throw AppError.invalid("status")
            }
        }
    }

    struct EvidenceIDView: ResponseCodable { var id: Int64 }

    static func placeID(_ raw: Int64?) throws -> PlaceID {
        guard let raw else { throw AppError.required("place_id") }
        guard raw > 0 else { throw AppError.notFound }
        return PlaceID(raw)
    }

    static func groupFields(_ body: ChatGroupBody) throws -> RumourService.GroupFields {
        let name = try required(body.name, field: "name", max: 100)
        guard let platformText = body.platform, !platformText.isEmpty else { throw AppError.required("platform") }
        guard let platform = ChatPlatform(rawValue: platformText) else { throw AppError.invalid("platform") }
        for (field, value) in [("officer_user_id", body.officer_user_id), ("backup_user_id", body.backup_user_id), ("target_id", body.target_id)] {
            if let value, value <= 0 { throw AppError.invalid(field) }
        }
        return RumourService.GroupFields(name: name, platform: platform, officer: body.officer_user_id.map(UserID.init(rawValue:)),
                                         backup: body.backup_user_id.map(UserID.init(rawValue:)), targetID: body.target_id)
    }

    static func newReport(_ body: ReportBody) throws -> RumourService.NewReport {
        let text = try self.text(body.text, field: "text", max: RumourService.maximumText)
        let link = try self.link(body.link, field: "link")
        guard text != nil || link != nil else { throw AppError.required("text") }
        if let group = body.chat_group_id, group <= 0 { throw AppError.invalid("chat_group_id") }
        return RumourService.NewReport(text: text ?? link ?? "", link: link, chatGroupID: body.chat_group_id.map(ChatGroupID.init(rawValue:)),
                                       placeID: try placeID(body.place_id), seenAt: try GroupBuyAPI.date(body.seen_at, field: "seen_at"))
    }

    /// Text as people paste it from a chat: several lines are kept; other control characters are refused.
    static func text(_ value: String?, field: String, max: Int) throws -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= max else { throw AppError.tooLong(field, max: max) }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t" }) else {
            throw AppError.invalid(field)
        }
        return trimmed
    }

    static func required(_ value: String?, field: String, max: Int) throws -> String {
        guard let text = try text(value, field: field, max: max) else { throw AppError.required(field) }
        return text
    }

    /// A web address as shared in a chat (the scheme may be missing); one line, no spaces.
    static func link(_ value: String?, field: String) throws -> String? {
        guard let link = try text(value, field: field, max: RumourService.maximumLink) else { return nil }
        guard !link.contains(where: { $0.isWhitespace }), link.contains(".") else { throw AppError.invalid(field) }
        return link
    }
}
