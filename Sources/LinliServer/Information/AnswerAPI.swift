import Foundation
import Hummingbird
import LinliCore
import LinliStore

struct AnswerView: ResponseCodable {
    var id: AnswerID
    var placeID: PlaceID
    var placeName: String
    var question: String
    var answer: String
    var source: String
    var sourceLink: String?
    var validFrom: Date?
    var validUntil: Date?
    var state: String
    /// Published but outside its validity: residents no longer see it.
    var expired: Bool
    var publishedAt: Date?
    var updatedAt: Date
    var score: Double?

    init(_ found: AnswerService.Found, now: Date) {
        let answer = found.stored.answer
        id = answer.id
        placeID = answer.placeID
        placeName = found.stored.placeName
        question = answer.text.question
        self.answer = answer.text.body
        source = answer.text.source
        sourceLink = answer.text.sourceLink
        validFrom = answer.text.validFrom
        validUntil = answer.text.validUntil
        state = answer.state.rawValue
        expired = !answer.isValid(at: now)
        publishedAt = answer.publishedAt
        updatedAt = answer.updatedAt
        score = found.score
    }

    enum CodingKeys: String, CodingKey {
        case id, placeID = "place_id", placeName = "place_name", question, answer, source, sourceLink = "source_link", validFrom = "valid_from",
             validUntil = "valid_until", state, expired, publishedAt = "published_at", updatedAt = "updated_at", score
    }
}

struct AnswerListView: ResponseCodable {
    var answers: [AnswerView]
}

/// The answers library over JSON: searching it needs no login; keeping it (drafts, edits,
/// publishing, retiring) needs a bearer token with the capability at the answer's place.
struct AnswerAPI {
    let services: AppServices

    struct AnswerBody: Decodable {
        var place_id: Int64?
        var question: String?
        var answer: String?
        var source: String?
        var source_link: String?
        var valid_from: String?
        var valid_until: String?
    }

    struct RetireBody: Decodable { var reason: String? }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        let answers = AnswerService(services: services)
        router.get("answers") { request, context -> AnswerListView in
            let query = Query(request: request)
            let text = try query.string("q", maxLength: AnswerRules.maximumQuery)
            let scope = try await answers.scope(try query.placeID(), caller: context.caller)
            let now = services.now()
            return AnswerListView(answers: try await answers.search(text, scope: scope, caller: context.caller).map { AnswerView($0, now: now) })
        }
        router.get("answers/:id") { _, context -> AnswerView in
            let found = try await answers.readable(try context.parameters.id(), caller: context.caller)
            return AnswerView(AnswerService.Found(stored: found, score: nil), now: services.now())
        }
        router.post("answers") { request, context -> EditedResponse<AnswerView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: AnswerBody.self, context: context)
            guard let place = body.place_id else { throw AppError.required("place_id") }
            guard place > 0 else { throw AppError.notFound }
            _ = try await services.place(PlaceID(place), capability: .verifyRumours, identity: identity)
            let id = try await answers.create(try Self.draft(body), at: PlaceID(place), identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: try await view(id, context: context))
        }
        router.put("answers/:id") { request, context -> AnswerView in
            let identity = try context.requireUser()
            let id: AnswerID = try context.parameters.id()
            _ = try await answers.kept(id, capability: .verifyRumours, identity: identity)
            let body = try await request.decodeJSON(as: AnswerBody.self, context: context)
            try await answers.update(id, try Self.draft(body), identity: identity, traceID: context.traceID)
            return try await view(id, context: context)
        }
        router.post("answers/:id/publish") { _, context -> AnswerView in
            let identity = try context.requireUser()
            let id: AnswerID = try context.parameters.id()
            try await answers.setState(id, to: .published, reason: nil, identity: identity, traceID: context.traceID)
            return try await view(id, context: context)
        }
        router.post("answers/:id/retire") { request, context -> AnswerView in
            let identity = try context.requireUser()
            let id: AnswerID = try context.parameters.id()
            _ = try await answers.kept(id, capability: .verifyRumours, identity: identity)
            // The reason is optional (a wrong answer comes down at once) and goes to the audit log.
            let buffer = try await request.body.collect(upTo: context.maxJSONSize)
            var reason: String?
            if buffer.readableBytes > 0 {
                let body: RetireBody
                do {
                    body = try JSONDecoder().decode(RetireBody.self, from: Data(buffer: buffer))
                } catch let error as DecodingError {
                    throw AppError.from(error)
                }
                reason = try AnswerAPI.text(body.reason, field: "reason", max: AnswerRules.maximumReason)
            }
            try await answers.setState(id, to: .retired, reason: reason, identity: identity, traceID: context.traceID)
            return try await view(id, context: context)
        }
    }

    func view(_ id: AnswerID, context: LinliRequestContext) async throws -> AnswerView {
        AnswerView(AnswerService.Found(stored: try await AnswerService(services: services).readable(id, caller: context.caller), score: nil), now: services.now())
    }

    /// Text as typed, trimmed; line breaks are kept (an answer has steps), other control
    /// characters refused.
    static func text(_ raw: String?, field: String, max: Int) throws -> String? {
        guard let trimmed = raw?.trimmingWhitespace, !trimmed.isEmpty else { return nil }
        guard trimmed.count <= max else { throw AppError.tooLong(field, max: max) }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t" }) else {
            throw AppError.invalid(field)
        }
        return trimmed
    }

    /// Who said it. Its own messages: "source" is another field's name elsewhere in Linli.
    static func source(_ raw: String?) throws -> String {
        guard let trimmed = raw?.trimmingWhitespace, !trimmed.isEmpty else { throw AppError(.badRequest, "answers.error.source_required", field: "source") }
        guard trimmed.count <= AnswerRules.maximumSource else {
            throw AppError(.badRequest, "answers.error.source_too_long", field: "source", arguments: ["max": "\(AnswerRules.maximumSource)"])
        }
        guard !trimmed.containsControlCharacters else { throw AppError(.badRequest, "answers.error.source_required", field: "source") }
        return trimmed
    }

    static func draft(_ body: AnswerBody) throws -> AnswerText {
        guard let question = try text(body.question, field: "question", max: AnswerRules.maximumQuestion) else { throw AppError.required("question") }
        guard AnswerSearch.normalize(question).count >= AnswerSearch.shortestQuery else { throw AppError.invalid("question") }
        guard let answer = try text(body.answer, field: "answer", max: AnswerRules.maximumBody) else { throw AppError.required("answer") }
        let source = try Self.source(body.source)
        let link = try SupplyAPI.text(body.source_link, field: "source_link", max: AnswerRules.maximumLink)
        let from = try GroupBuyAPI.date(body.valid_from, field: "valid_from")
        let until = try GroupBuyAPI.date(body.valid_until, field: "valid_until")
        guard AnswerRules.validityIsOrdered(from: from, until: until) else { throw AppError(.badRequest, "answers.error.validity_order", field: "valid_until") }
        return AnswerText(question: question, body: answer, source: source, sourceLink: link, validFrom: from, validUntil: until)
    }
}
