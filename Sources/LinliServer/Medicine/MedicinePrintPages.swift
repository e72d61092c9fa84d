import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// A batch's printed papers: one consolidated list per hospital window for the runner, and one
/// bag label per household, both laid out for A4 through the browser's print.
struct MedicinePrintPages {
    let services: AppServices

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("medicine/batches/:id/list") { _, context -> Response in
            let identity = try context.requireUser()
            return try await list(try context.parameters.id(), context: context, identity: identity)
        }
        router.get("medicine/batches/:id/labels") { _, context -> Response in
            let identity = try context.requireUser()
            return try await labels(try context.parameters.id(), context: context, identity: identity)
        }
        for format in SpreadsheetFormat.allCases {
            router.get("medicine/batches/:id/list.\(format.rawValue)") { _, context -> Response in
                let identity = try context.requireUser()
                return try await export(try context.parameters.id(), format: format, context: context, identity: identity)
            }
        }
    }

    /// The hospital lists as a sheet, one row per drug line, for the committees that pass lists on
    /// in Excel or WPS: the same lines as the printed list, in the same order.
    private func export(_ id: MedicineBatchID, format: SpreadsheetFormat, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let batch = try await visibleBatch(id, identity: identity)
        let (lists, runners) = try await services.store.read { db in
            (try await MedicineNightlyForming.totals(batch: id, on: db), try await MedicineBoardRecords.runners(batch: id, on: db))
        }
        let header = ["hospital", "window", "source", "drug", "specification", "quantity", "households", "runner"].map { context.text("medicine.export.\($0)") }
        var rows = [header]
        for list in lists {
            for line in list.lines {
                rows.append([list.hospital, list.window, context.text("medicine.source.\(list.source.rawValue)"), line.drug, line.specification,
                             "\(line.quantity)", "\(line.households)", runners[list.hospital] ?? ""])
            }
        }
        let data = try Spreadsheet.encode(rows, format: format, sheetName: batch.batch.night)
        return RegisterAPI.download(data, format: format, fileName: "medicine-batch-\(id)-\(batch.batch.night).\(format.rawValue)")
    }

    struct ListLine {
        var drug: String
        var specification: String
        var quantity: Int
        var households: Int
    }

    struct HospitalSection {
        var heading: String
        var runner: String
        var lines: [ListLine]
    }

    struct ListContent {
        var summary: String
        var exportXLSX: String
        var exportCSV: String
        var hospitals: [HospitalSection]
        var isEmpty: Bool
    }

    struct LabelItem {
        var text: String
        var coldChain: Bool
    }

    struct Label {
        var household: PlaceID
        var place: String
        var surname: String
        var items: [LabelItem]
        var coldChain: Bool
        var number: String
        /// The request number again at the label's foot, so a label cut out whole shows both.
        var serial: String
    }

    struct LabelsContent {
        var summary: String
        var labels: [Label]
        var households: Int
        var isEmpty: Bool
    }

    /// A batch the caller may run (404 outside their places, as for everything else).
    private func visibleBatch(_ id: MedicineBatchID, identity: UserIdentity) async throws -> MedicineBoardBatch {
        try await MedicineRunPages(services: services).runnableBatch(id, identity: identity).0
    }

    private func summary(_ batch: MedicineBoardBatch, context: LinliRequestContext) -> String {
        context.text("medicine.print.summary", [
            "team": batch.teamName, "night": batch.batch.night, "kind": context.text("medicine.batch.kind.\(batch.batch.kind.rawValue)"),
            "households": "\(batch.households)",
        ])
    }

    private func list(_ id: MedicineBatchID, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let batch = try await visibleBatch(id, identity: identity)
        let (lists, runners) = try await services.store.read { db in
            (try await MedicineNightlyForming.totals(batch: id, on: db), try await MedicineBoardRecords.runners(batch: id, on: db))
        }
        let sections = lists.map { list in
            HospitalSection(
                heading: [list.hospital, list.window, context.text("medicine.source.\(list.source.rawValue)")].filter { !$0.isEmpty }.joined(separator: " · "),
                runner: runners[list.hospital].map { context.text("medicine.print.runner", ["name": $0]) } ?? context.text("medicine.print.no_runner"),
                lines: list.lines.map { ListLine(drug: $0.drug, specification: $0.specification, quantity: $0.quantity, households: $0.households) }
            )
        }
        let content = ListContent(summary: summary(batch, context: context), exportXLSX: "/medicine/batches/\(id)/list.xlsx", exportCSV: "/medicine/batches/\(id)/list.csv", hospitals: sections, isEmpty: sections.isEmpty)
        return try PageView(template: "medicine/list", title: context.text("medicine.print.list_title", ["team": batch.teamName]), content: content,
                            breadcrumbs: [Link(href: "/medicine", label: context.text("nav.medicine"))]).response(context)
    }

    private func labels(_ id: MedicineBatchID, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let batch = try await visibleBatch(id, identity: identity)
        let labels = try await services.store.read { db in try await MedicineBoardRecords.labels(batch: id, on: db) }
        // What each household is taking is health data: one audit row per household shown.
        let now = services.now()
        try await services.audit(labels.map {
            AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "medicine_request.read_label", entity: "request", entityID: "\($0.requestID)", path: $0.path.rawValue, traceID: context.traceID)
        })
        let shown = labels.map { label in
            Label(
                household: label.householdID, place: "\(label.building) \(label.room)", surname: label.surname,
                items: label.items.map { LabelItem(text: [$0.drug, $0.specification, "× \($0.quantity)"].filter { !$0.isEmpty }.joined(separator: " "), coldChain: $0.coldChain) },
                coldChain: label.coldChain, number: String(format: "No.%06lld", label.requestID.rawValue), serial: String(format: "%06lld", label.requestID.rawValue)
            )
        }
        let content = LabelsContent(summary: summary(batch, context: context), labels: shown, households: shown.count, isEmpty: shown.isEmpty)
        return try PageView(template: "medicine/labels", title: context.text("medicine.print.labels_title", ["team": batch.teamName]), content: content,
                            breadcrumbs: [Link(href: "/medicine", label: context.text("nav.medicine"))]).response(context)
    }
}
