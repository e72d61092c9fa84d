import Crypto
import Foundation
import Hummingbird
import LinliCore
import LinliStore

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
