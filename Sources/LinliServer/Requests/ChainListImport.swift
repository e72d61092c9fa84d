import Crypto
import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// A pasted chain list (接龙) turned into requests: every line is parsed and matched to a
/// household under the place; lines that match no household, or several, are shown for a person
/// to fix and never dropped. A line naming another compound is shown too, never filed for a
/// room of the same number here.
struct ChainListImport: Sendable {
    let services: AppServices

    struct Row: Sendable {
        var line: Int
        var text: String
        var household: HouseholdLabel?
        /// Why the line files nothing: a parser reason, or no / several households.
        var problem: String?
    }

    /// The place, if the caller's roles cover it (404 otherwise).
    func place(_ placeID: PlaceID, identity: UserIdentity) async throws -> Place {
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: placeID, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        return place
    }

    func match(_ message: String, under placeID: PlaceID, identity: UserIdentity) async throws -> (Place, [Row]) {
        guard message.count <= 20_000 else { throw AppError.tooLong("message", max: 20_000) }
        let lines = ChainListParser.lines(of: message)
        let parsed = ChainListParser.parse(message)
        return try await services.store.read { db in
            guard let place = try await DirectoryRecords.place(id: placeID, on: db), identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
            var rows: [Row] = []
            for result in parsed {
                let text = result.line - 1 < lines.count ? String(lines[result.line - 1]) : ""
                switch result {
                case .unmatched(let unmatched):
                    rows.append(Row(line: unmatched.line, text: text, household: nil, problem: unmatched.reason.catalogueKey))
                case .entry(let entry):
                    var found = try await HouseholdRecords.find(building: entry.building, room: entry.room, under: place, on: db)
                    if found.count > 1, let lane = entry.lane {
                        found = found.filter { $0.compound.contains("\(lane)弄") }
                    }
                    switch found.count {
                    case 1 where ChainListCompound.namesAnother(text, than: found[0].compound):
                        rows.append(Row(line: entry.line, text: text, household: nil, problem: "chain_list.match.other_compound"))
                    case 1: rows.append(Row(line: entry.line, text: text, household: found[0], problem: nil))
                    case 0: rows.append(Row(line: entry.line, text: text, household: nil, problem: "chain_list.match.none"))
                    default: rows.append(Row(line: entry.line, text: text, household: nil, problem: "chain_list.match.several"))
                    }
                }
            }
            return (place, rows)
        }
    }

    /// Files one request per matched line. Each line's idempotency key comes from the message and
    /// the line, so submitting the same paste again files nothing twice.
    func file(_ rows: [Row], message: String, category: RequestCategory, identity: UserIdentity, traceID: String) async throws -> (filed: Int, refused: [(Row, String)]) {
        let digest = SHA256.hash(data: Data(message.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        var filed = 0
        var refused: [(Row, String)] = []
        for row in rows {
            guard let household = row.household else { continue }
            let filing = Filing(householdID: household.id, residentID: nil, category: category, description: row.text, channel: .chainListImport)
            do {
                let result = try await RequestIntake(services: services).file(filing, by: .user(id: identity.user.id), grants: identity.grants, idempotencyKey: "chain:\(digest):\(row.line)", traceID: traceID)
                if result.created { filed += 1 }
            } catch let error as AppError {
                refused.append((row, error.key))
            }
        }
        return (filed, refused)
    }
}

/// `/places/{id}/chain-list`: paste, check, file.
struct ChainListPages {
    let services: AppServices
    var importer: ChainListImport { ChainListImport(services: services) }

    struct Form: Decodable {
        var _csrf: String?
        var message: String?
        var category: String?
        var confirm: String?
    }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("places/:id/chain-list") { _, context -> Response in
            let identity = try context.requireUser()
            let place = try await importer.place(try context.parameters.id(), identity: identity)
            return page(place: place, message: "", category: .dailySupplies, rows: nil, outcome: nil, context: context)
        }
        router.post("places/:id/chain-list") { request, context -> Response in
            let identity = try context.requireUser()
            let id: PlaceID = try context.parameters.id()
            _ = try await importer.place(id, identity: identity)
            let form = try await request.decodeForm(as: Form.self, context: context)
            try context.verifyCSRF(form._csrf)
            let message = form.message ?? ""
            guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw AppError.required("message") }
            guard let category = RequestCategory(rawValue: form.category ?? "") else { throw AppError.invalid("category") }
            let (place, rows) = try await importer.match(message, under: id, identity: identity)
            var outcome: String?
            if form.confirm == "yes" {
                let result = try await importer.file(rows, message: message, category: category, identity: identity, traceID: context.traceID)
                outcome = Catalogue.text("chain_list.import.filed", context.language, ["count": "\(result.filed)", "refused": "\(result.refused.count)"])
            }
            return page(place: place, message: message, category: category, rows: rows, outcome: outcome, context: context)
        }
    }

    private func page(place: Place, message: String, category: RequestCategory, rows: [ChainListImport.Row]?, outcome: String?, context: LinliRequestContext) -> Response {
        let options = RequestCategory.allCases.map { "<option value=\"\($0.rawValue)\"\($0 == category ? " selected" : "")>\(context.t($0.catalogueKey))</option>" }.joined()
        var table = ""
        if let rows {
            let body = rows.map { row in
                let result = row.household.map { "\(escape($0.compound)) \(escape($0.building)) \(escape($0.room))" } ?? "<span class=\"error\">\(context.t(row.problem ?? ""))</span>"
                return "<tr\(row.household == nil ? " class=\"unmatched\"" : "")><td>\(row.line)</td><td>\(escape(row.text))</td><td>\(result)</td></tr>"
            }.joined()
            let matched = rows.count { $0.household != nil }
            table = """
            <p role="status">\(context.t("chain_list.import.summary", ["matched": "\(matched)", "unmatched": "\(rows.count - matched)"]))</p>
            <table id="chain-list-lines"><thead><tr><th>#</th><th>\(context.t("chain_list.import.line"))</th><th>\(context.t("field.household"))</th></tr></thead><tbody>\(body)</tbody></table>
            """
        }
        return Page(title: Catalogue.text("chain_list.import.title", context.language, ["place": place.name]), context: context) {
            """
            \(outcome.map { "<p role=\"status\" id=\"chain-list-outcome\">\(escape($0))</p>" } ?? "")
            <form method="post" action="/places/\(place.id)/chain-list">
            \(context.csrfField)
            <label for="message">\(context.t("chain_list.import.paste"))</label>
            <textarea id="message" name="message" rows="10" style="width:100%">\(escape(message))</textarea>
            <label for="category">\(context.t("field.category"))</label>
            <select id="category" name="category">\(options)</select>
            <p><button type="submit">\(context.t("chain_list.import.check"))</button>
            \(rows == nil ? "" : "<button type=\"submit\" name=\"confirm\" value=\"yes\">\(context.t("chain_list.import.confirm"))</button>")</p>
            </form>
            \(table)
            """
        }.response()
    }
}
