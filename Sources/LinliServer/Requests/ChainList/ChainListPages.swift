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
        /// The household picked for each line that matched several, by line number.
        var pick: [String: String]?
    }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("places/:id/chain-list") { _, context -> Response in
            let identity = try context.requireUser()
            let place = try await importer.place(try context.parameters.id(), identity: identity)
            return try page(place: place, message: "", category: .dailySupplies, rows: nil, outcome: nil, error: nil, context: context)
        }
        router.post("places/:id/chain-list") { request, context -> Response in
            let identity = try context.requireUser()
            let id: PlaceID = try context.parameters.id()
            let place = try await importer.place(id, identity: identity)
            let form = try await request.decodeForm(as: Form.self, context: context)
            try context.verifyCSRF(form._csrf)
            let message = form.message ?? ""
            let category = RequestCategory(rawValue: form.category ?? "") ?? .dailySupplies
            // An empty paste or a bad choice comes back on the form, not on an error page.
            guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return try page(place: place, message: message, category: category, rows: nil, outcome: nil, error: AppError.required("message"), context: context).withStatus(.badRequest)
            }
            var rows: [ChainListImport.Row]
            do {
                (_, rows) = try await importer.match(message, under: id, identity: identity)
                rows = ChainListImport.resolve(rows, picks: form.pick ?? [:])
            } catch let error as AppError where error.status == .badRequest {
                return try page(place: place, message: message, category: category, rows: nil, outcome: nil, error: error, context: context).withStatus(.badRequest)
            }
            // Nothing matched, nothing to file: a forged or repeated press gets the check again.
            if form.confirm == "yes", rows.contains(where: { $0.household != nil }) {
                let result = try await importer.file(rows, message: message, category: category, identity: identity, traceID: context.traceID)
                let outcome = context.text("chain_list.import.filed", ["count": "\(result.filed)", "refused": "\(result.refused.count)"])
                // Filed: the form is emptied, so a second press cannot file the same list again
                // by mistake; the lines stay on the page.
                return try page(place: place, message: "", category: category, rows: rows, outcome: outcome, error: nil, context: context)
            }
            return try page(place: place, message: message, category: category, rows: rows, outcome: nil, error: nil, context: context)
        }
    }

    struct Line {
        var line: Int
        var text: String
        var household: String?
        var problem: String?
        var pick: FormField?
    }

    struct Content {
        var placeID: PlaceID
        var message: FormField
        var category: FormField
        var checked: Bool
        var canConfirm: Bool
        var summary: String?
        var lines: [Line]
    }

    private func page(place: Place, message: String, category: RequestCategory, rows: [ChainListImport.Row]?, outcome: String?, error: AppError?, context: LinliRequestContext) throws -> Response {
        let errors = FormErrors(error, language: context.language, fields: ["message", "category"], defaultField: "message")
        let options = RequestCategory.allCases.map { FormField.Option(value: $0.rawValue, label: context.text($0.catalogueKey), selected: $0 == category) }
        let matched = rows?.count { $0.household != nil } ?? 0
        let content = Content(
            placeID: place.id,
            message: FormField("message", label: context.text("chain_list.import.paste"), hint: context.text("chain_list.import.hint"), error: errors.message(for: "message"), value: message, maxlength: 20_000, required: true, rows: 10),
            category: FormField("category", label: context.text("field.category"), error: errors.message(for: "category"), options: options),
            checked: rows != nil, canConfirm: rows != nil && outcome == nil && matched > 0,
            summary: rows.map { rows in context.text("chain_list.import.summary", ["matched": "\(matched)", "unmatched": "\(rows.count - matched)"]) },
            lines: (rows ?? []).map { row in
                Line(line: row.line, text: row.text, household: row.household.map { "\($0.compound) \($0.building) \($0.room)" }, problem: row.problem.map { context.text($0) },
                     pick: row.candidates.isEmpty ? nil : FormField("pick[l\(row.line)]", label: context.text("chain_list.import.pick"), options: [FormField.Option(value: "", label: context.text("form.choose"), selected: row.household == nil)]
                        + row.candidates.map { FormField.Option(value: "\($0.id)", label: "\($0.compound) \($0.building) \($0.room)", selected: $0.id == row.household?.id) }))
            }
        )
        return try PageView(template: "requests/chain-list", title: context.text("chain_list.import.title", ["place": place.name]), content: content, banner: outcome, errors: errors.messages)
            .response(context)
    }
}
