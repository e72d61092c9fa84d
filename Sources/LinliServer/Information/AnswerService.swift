import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// The answers library's rules shared by the API and the pages: who sees which answer, the
/// search, and each change written with its audit entry in one transaction.
struct AnswerService: Sendable {
    let services: AppServices

    /// Candidates the database hands the ranking for one search.
    static let candidateLimit = 200

    /// An answer found, with its score when it came from a search.
    struct Found: Sendable {
        var stored: StoredAnswer
        var score: Double?
    }

    func writing<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await services.store.write(body)
        } catch AnswerStoreError.notFound {
            throw AppError.notFound
        }
    }

    func audit(_ db: any SQLDatabase, identity: UserIdentity, action: String, id: AnswerID, path: PlacePath, after: String?, traceID: String) async throws {
        try await AuditRecords.append([AuditEntry(at: services.now(), actor: "user:\(identity.user.id)", action: action, entity: "answer", entityID: "\(id)",
                                                  path: path.rawValue, after: after, traceID: traceID)], on: db)
    }

    /// Keepers see drafts, retired and expired answers at their places; everyone else only what
    /// is published and valid now.
    static func keeps(_ caller: Caller, path: PlacePath) -> Bool {
        guard case .user(let identity) = caller else { return false }
        return identity.grants.allows(.verifyRumours, at: path)
    }

    /// The answer if the caller may read it, else 404.
    func readable(_ id: AnswerID, caller: Caller) async throws -> StoredAnswer {
        let found = try await services.store.read { db in try await AnswerRecords.answer(id: id, on: db) }
        guard let found, found.answer.isPublic(at: services.now()) || Self.keeps(caller, path: found.path) else { throw AppError.notFound }
        return found
    }

    /// The answer for a keeper's change: 404 outside the caller's places (above them it is seen,
    /// as residents under them read it), 403 without `capability` at its place.
    func kept(_ id: AnswerID, capability: Capability, identity: UserIdentity) async throws -> StoredAnswer {
        let found = try await services.store.read { db in try await AnswerRecords.answer(id: id, on: db) }
        guard let found, GroupBuyService.sees(identity, path: found.path) else { throw AppError.notFound }
        guard identity.grants.allows(capability, at: found.path) else { throw AppError.forbidden }
        return found
    }

    func create(_ draft: AnswerText, at placeID: PlaceID, identity: UserIdentity, traceID: String) async throws -> AnswerID {
        let place = try await services.place(placeID, capability: .verifyRumours, identity: identity)
        let (now, engine) = (services.now(), services.store.engine)
        return try await writing { db in
            let id = try await AnswerRecords.create(draft, placeID: placeID, by: identity.user.id, now: now, engine: engine, on: db)
            try await audit(db, identity: identity, action: "answer.create", id: id, path: place.path, after: draft.question, traceID: traceID)
            return id
        }
    }

    func update(_ id: AnswerID, _ draft: AnswerText, identity: UserIdentity, traceID: String) async throws {
        let found = try await kept(id, capability: .verifyRumours, identity: identity)
        let (now, engine) = (services.now(), services.store.engine)
        try await writing { db in
            try await AnswerRecords.update(id, draft, by: identity.user.id, now: now, engine: engine, on: db)
            try await audit(db, identity: identity, action: "answer.update", id: id, path: found.path, after: draft.question, traceID: traceID)
        }
    }

    /// Publishing needs `publish_information`; retiring only `verify_rumours`, so whoever keeps
    /// the library can take a wrong answer down at once. Both may be repeated.
    func setState(_ id: AnswerID, to state: AnswerState, reason: String?, identity: UserIdentity, traceID: String) async throws {
        let capability: Capability = state == .published ? .publishInformation : .verifyRumours
        let found = try await kept(id, capability: capability, identity: identity)
        let now = services.now()
        try await writing { db in
            try await AnswerRecords.setState(id, to: state, by: identity.user.id, now: now, on: db)
            try await audit(db, identity: identity, action: "answer.\(state.rawValue)", id: id, path: found.path, after: reason ?? state.rawValue, traceID: traceID)
        }
    }

    /// The path answers must cover: the place asked for, else a household's own.
    func scope(_ placeID: PlaceID?, caller: Caller) async throws -> PlacePath? {
        if let placeID {
            let place = try await services.store.read { db in try await DirectoryRecords.place(id: placeID, on: db) }
            guard let place else { throw AppError.invalid("place") }
            return place.path
        }
        if case .household(let identity) = caller { return identity.household.path }
        return nil
    }

    /// Answers to `query` covering `scope`, best first; without a query, the newest answers.
    /// Residents get what is published and valid; keepers also what expired, marked so.
    func search(_ query: String?, scope: PlacePath?, caller: Caller) async throws -> [Found] {
        let now = services.now()
        let engine = services.store.engine
        func shown(_ stored: StoredAnswer) -> Bool { stored.answer.isValid(at: now) || Self.keeps(caller, path: stored.path) }
        guard let query else {
            let newest = try await services.store.read { db in try await AnswerRecords.published(covering: scope, limit: Self.candidateLimit, on: db) }
            return newest.filter(shown).prefix(AnswerRules.maximumResults).map { Found(stored: $0, score: nil) }
        }
        let normalized = AnswerSearch.normalize(query)
        guard normalized.count >= AnswerSearch.shortestQuery else { throw AppError(.badRequest, "answers.error.query_too_short", field: "q") }
        let candidates = try await services.store.read { db in
            let found = try await AnswerRecords.candidates(terms: AnswerSearch.terms(normalized), covering: scope, limit: Self.candidateLimit, engine: engine, on: db)
            guard found.isEmpty, normalized.count >= 3 else { return found }
            // No trigram of the question is stored: a paraphrase may still share its pairs.
            return try await AnswerRecords.candidates(terms: AnswerSearch.bigramTerms(normalized), covering: scope, limit: Self.candidateLimit, engine: engine, on: db)
        }.filter(shown)
        let byID = Dictionary(candidates.map { ($0.answer.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ranked = AnswerSearch.rank(candidates.map { (key: $0.answer.id, question: $0.answer.text.question, body: $0.answer.text.body) }, query: query)
        return ranked.prefix(AnswerRules.maximumResults).compactMap { match in byID[match.key].map { Found(stored: $0, score: match.score) } }
    }
}
