import Foundation
import LinliCore
import SQLKit

/// An answer as stored, with where it is.
public struct StoredAnswer: Sendable, Hashable {
    public var answer: Answer
    public var path: PlacePath
    public var placeName: String
}

public enum AnswerStoreError: Error, Equatable {
    case notFound
}

/// The answers library: drafts, publishing and retiring, and the search's candidates.
public enum AnswerRecords {
    static let columns: SQLQueryString = """
        a.id, a.place_id, a.question, a.body, a.source, a.source_link, a.valid_from, a.valid_until, a.state, a.updated_at, a.published_at, a.path, p.name AS place_name
        """

    static func decode(_ row: any SQLRow) throws -> StoredAnswer {
        let stateText = try row.decode(column: "state", as: String.self)
        let text = AnswerText(
            question: try row.decode(column: "question", as: String.self), body: try row.decode(column: "body", as: String.self),
            source: try row.decode(column: "source", as: String.self), sourceLink: try row.decode(column: "source_link", as: String?.self),
            validFrom: try row.decode(column: "valid_from", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            validUntil: try row.decode(column: "valid_until", as: Int64?.self).map(Date.init(millisecondsSince1970:)))
        let answer = Answer(
            id: try row.decode(column: "id", as: AnswerID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self), text: text,
            state: AnswerState(rawValue: stateText) ?? .draft,
            updatedAt: Date(millisecondsSince1970: try row.decode(column: "updated_at", as: Int64.self)),
            publishedAt: try row.decode(column: "published_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)))
        return StoredAnswer(answer: answer, path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
                            placeName: try row.decode(column: "place_name", as: String.self))
    }

    /// A new draft at `placeID`.
    public static func create(_ draft: AnswerText, placeID: PlaceID, by user: UserID, now: Date, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> AnswerID {
        guard let place = try await db.raw("SELECT path, district_id FROM places WHERE id = \(bind: placeID)").first() else { throw AnswerStoreError.notFound }
        let path = try place.decode(column: "path", as: String.self)
        let district = try place.decode(column: "district_id", as: PlaceID?.self)
        let search = AnswerSearch.indexText(question: draft.question, body: draft.body, source: draft.source)
        let time = now.millisecondsSince1970
        guard let row = try await db.raw("""
            INSERT INTO answers (place_id, question, body, source, source_link, valid_from, valid_until, state, search_text, created_by, created_at, updated_by, updated_at, path, district_id)
            VALUES (\(bind: placeID), \(bind: draft.question), \(bind: draft.body), \(bind: draft.source), \(bind: draft.sourceLink),
                    \(bind: draft.validFrom?.millisecondsSince1970), \(bind: draft.validUntil?.millisecondsSince1970), \(bind: AnswerState.draft.rawValue), \(bind: search),
                    \(bind: user), \(bind: time), \(bind: user), \(bind: time), \(bind: path), \(bind: district))
            RETURNING id
            """).first() else { throw AnswerStoreError.notFound }
        let id = try row.decode(column: "id", as: AnswerID.self)
        try await index(id, text: search, engine: engine, on: db)
        return id
    }

    /// Rewrites an answer's text and validity; its state stays.
    public static func update(_ id: AnswerID, _ draft: AnswerText, by user: UserID, now: Date, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        let search = AnswerSearch.indexText(question: draft.question, body: draft.body, source: draft.source)
        guard try await db.raw("""
            UPDATE answers SET question = \(bind: draft.question), body = \(bind: draft.body), source = \(bind: draft.source), source_link = \(bind: draft.sourceLink),
                valid_from = \(bind: draft.validFrom?.millisecondsSince1970), valid_until = \(bind: draft.validUntil?.millisecondsSince1970), search_text = \(bind: search),
                updated_by = \(bind: user), updated_at = \(bind: now.millisecondsSince1970)
            WHERE id = \(bind: id) RETURNING id
            """).first() != nil else { throw AnswerStoreError.notFound }
        try await index(id, text: search, engine: engine, on: db)
    }

    /// On SQLite the trigram index is a table of its own, rewritten with the answer; PostgreSQL
    /// indexes `answers.search_text` itself.
    static func index(_ id: AnswerID, text: String, engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        guard engine == .sqlite else { return }
        try await db.raw("DELETE FROM answers_search WHERE rowid = \(bind: id)").run()
        try await db.raw("INSERT INTO answers_search (rowid, search_text) VALUES (\(bind: id), \(bind: text))").run()
    }

    /// Sets the state; publishing stamps who and when, the first time only.
    public static func setState(_ id: AnswerID, to state: AnswerState, by user: UserID, now: Date, on db: any SQLDatabase) async throws {
        let time = now.millisecondsSince1970
        let stamp: SQLQueryString = state == .published ? ", published_by = COALESCE(published_by, \(bind: user)), published_at = COALESCE(published_at, \(bind: time))" : ""
        guard try await db.raw("""
            UPDATE answers SET state = \(bind: state.rawValue), updated_by = \(bind: user), updated_at = \(bind: time)\(stamp) WHERE id = \(bind: id) RETURNING id
            """).first() != nil else { throw AnswerStoreError.notFound }
    }

    public static func answer(id: AnswerID, on db: any SQLDatabase) async throws -> StoredAnswer? {
        try await db.raw("SELECT \(columns) FROM answers a JOIN places p ON p.id = a.place_id WHERE a.id = \(bind: id)").first().map(decode)
    }

    /// The paths an answer must be at to cover `path`: the place itself and every place above it.
    static func covering(_ path: PlacePath) -> [any Encodable & Sendable] {
        let ids = path.ids
        return ids.indices.map { index -> any Encodable & Sendable in ids[...index].map(\.description).joined(separator: "/") }
    }

    /// Published answers covering `place` (everything when nil), newest first: the library
    /// before anyone searches.
    public static func published(covering place: PlacePath?, limit: Int, on db: any SQLDatabase) async throws -> [StoredAnswer] {
        let scope: SQLQueryString = place.map { "AND a.path IN (\(binds: covering($0)))" } ?? ""
        return try await db.raw("""
            SELECT \(columns) FROM answers a JOIN places p ON p.id = a.place_id
            WHERE a.state = \(bind: AnswerState.published.rawValue) \(scope)
            ORDER BY a.published_at DESC, a.id DESC LIMIT \(bind: limit)
            """).all().map(decode)
    }

    /// Answers kept at or under the places of `scopes` (a keeper's library), newest change first.
    public static func kept(under scopes: [PlacePath], limit: Int, on db: any SQLDatabase) async throws -> [StoredAnswer] {
        guard !scopes.isEmpty else { return [] }
        return try await db.raw("""
            SELECT \(columns) FROM answers a JOIN places p ON p.id = a.place_id
            WHERE \(scopeCondition(column: "a.path", scopes: scopes.map(\.rawValue)))
            ORDER BY a.updated_at DESC, a.id DESC LIMIT \(bind: limit)
            """).all().map(decode)
    }

    /// Published answers sharing a search term with the query, covering `place` when given: at
    /// most `limit`, those sharing the most terms first. Trigrams go through the engine's
    /// trigram index; a query of two characters, too short for one, is looked for as it is.
    public static func candidates(terms: [String], covering place: PlacePath?, limit: Int, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> [StoredAnswer] {
        guard !terms.isEmpty else { return [] }
        let scope: SQLQueryString = place.map { "AND a.path IN (\(binds: covering($0)))" } ?? ""
        let published = AnswerState.published.rawValue
        if engine == .sqlite, terms.allSatisfy({ $0.count >= 3 }) {
            let match = terms.map { "\"\($0)\"" }.joined(separator: " OR ")
            return try await db.raw("""
                SELECT \(columns) FROM answers_search s JOIN answers a ON a.id = s.rowid JOIN places p ON p.id = a.place_id
                WHERE s.search_text MATCH \(bind: match) AND a.state = \(bind: published) \(scope)
                ORDER BY s.rank, a.id LIMIT \(bind: limit)
                """).all().map(decode)
        }
        // PostgreSQL's trigram index serves each LIKE; the CASE sum ranks by terms shared.
        let likes: [SQLQueryString] = terms.map { "a.search_text LIKE \(bind: "%\($0)%")" }
        let shared: [SQLQueryString] = terms.map { "CASE WHEN a.search_text LIKE \(bind: "%\($0)%") THEN 1 ELSE 0 END" }
        return try await db.raw("""
            SELECT \(columns) FROM answers a JOIN places p ON p.id = a.place_id
            WHERE (\(likes.joined(separator: " OR "))) AND a.state = \(bind: published) \(scope)
            ORDER BY \(shared.joined(separator: " + ")) DESC, a.id LIMIT \(bind: limit)
            """).all().map(decode)
    }
}
