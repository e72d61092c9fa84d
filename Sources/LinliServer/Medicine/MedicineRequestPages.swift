import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// A medicine request's own page: what the volunteer wrote down (items, cash handed over), the
/// visit-record check and the money, with the form to write the items and the money. No
/// JavaScript: rows are plain form fields, blank rows are left out.
struct MedicineRequestPages {
    let services: AppServices
    var medicine: MedicineRequestService { MedicineRequestService(services: services) }

    /// The items form, one array per column (`drug[]`, `quantity[]`, ...), a row per index.
    struct ItemsForm: Decodable {
        var _csrf: String?
        var drug: [String]?
        var maker: [String]?
        var specification: [String]?
        var quantity: [String]?
        var kind: [String]?
        var source: [String]?
        var hospital: [String]?
        var window: [String]?
        var cold_chain: [String]?
        var cash_advanced: String?
    }

    struct MoneyForm: Decodable {
        var _csrf: String?
        var cash_spent: String?
        var change_returned: String?
        var note: String?
        /// "run": back to the runner's page of the request's batch.
        var back: String?
    }

    struct CSRFForm: Decodable { var _csrf: String? }

    /// Blank rows offered below the items already written down.
    static let blankRows = 3

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("requests/:id/medicine") { request, context -> Response in
            let id: HelpRequestID = try context.parameters.id()
            return try await page(id, context: context, banner: noticeBanner(request, context), typed: nil, error: nil)
        }
        router.post("requests/:id/medicine") { request, context -> Response in
            let identity = try context.requireUser()
            let id: HelpRequestID = try context.parameters.id()
            _ = try await medicine.request(id, capability: .runMedicine, identity: identity)
            let form = try await request.decodeForm(as: ItemsForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                let body = try Self.fillBody(form)
                let (items, cash) = try MedicineRequestAPI.items(body, requestID: id)
                _ = try await medicine.fill(id, items: items, cashAdvanced: cash, identity: identity, traceID: context.traceID)
                return redirect(to: "/requests/\(id)/medicine?notice=medicine_items_saved")
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                // Whatever was typed comes back, with the error naming its row.
                return try await page(id, context: context, banner: nil, typed: form, error: Self.rowError(error)).withStatus(error.status)
            }
        }
        router.post("requests/:id/medicine/items/:item/photo") { request, context -> Response in
            let identity = try context.requireUser()
            let id: HelpRequestID = try context.parameters.id()
            _ = try await medicine.request(id, capability: .runMedicine, identity: identity)
            let item: MedicineItemID = try context.parameters.id("item")
            let buffer = try await request.body.collect(upTo: BoxPhotoFormat.maximumBytes + 64 * 1024)
            guard let form = MultipartForm(contentType: request.headers[.contentType] ?? "", body: Data(buffer: buffer)) else { throw AppError.required("photo") }
            try context.verifyCSRF(form.parts.first { $0.name == "_csrf" }.map { String(decoding: $0.data, as: UTF8.self) })
            guard let belongs = try await services.store.read({ db in try await MedicineRequestRecords.requestID(item: item, on: db) }), belongs == id else { throw AppError.notFound }
            do {
                try await MedicineBoxPhotos(services: services).store(form.parts.first { $0.name == "photo" }?.data ?? Data(), declaredType: nil, item: item, identity: identity, traceID: context.traceID)
            } catch let error as AppError where [.badRequest, .conflict, .unsupportedMediaType, .contentTooLarge].contains(error.status) {
                return try await page(id, context: context, banner: nil, typed: nil, error: error).withStatus(error.status)
            }
            return redirect(to: "/requests/\(id)/medicine?notice=medicine_photo_saved")
        }
        router.get("medicine/items/:id/box-photo") { _, context -> Response in
            let identity = try context.requireUser()
            let (data, format) = try await MedicineBoxPhotos(services: services).read(item: try context.parameters.id(), identity: identity, traceID: context.traceID)
            return MedicineBoxPhotos.response(data, format: format)
        }
        router.post("requests/:id/medicine/verify") { request, context -> Response in
            let identity = try context.requireUser()
            let id: HelpRequestID = try context.parameters.id()
            _ = try await medicine.request(id, capability: .runMedicine, identity: identity)
            let form = try await request.decodeForm(as: CSRFForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            _ = try await medicine.verify(id, identity: identity, traceID: context.traceID)
            return redirect(to: "/requests/\(id)/medicine?notice=medicine_verified")
        }
        router.post("requests/:id/medicine/money") { request, context -> Response in
            let identity = try context.requireUser()
            let id: HelpRequestID = try context.parameters.id()
            _ = try await medicine.request(id, capability: .runMedicine, identity: identity)
            let form = try await request.decodeForm(as: MoneyForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let part = try await medicine.settle(id, spent: try Self.fen(form.cash_spent, field: "cash_spent"), changeReturned: try Self.fen(form.change_returned, field: "change_returned"),
                                                 note: try MedicineRequestAPI.note(form.note), identity: identity, traceID: context.traceID)
            if form.back == "run", let batch = part.batchID { return redirect(to: "/medicine/batches/\(batch)/run/\(id)?notice=medicine_money_saved") }
            return redirect(to: "/requests/\(id)/medicine?notice=medicine_money_saved")
        }
    }

    /// Yuan as typed ("200", "12.50") to fen, bounded as the API bounds fen.
    static func fen(_ typed: String?, field: String) throws -> Int {
        guard let typed, !typed.trimmingWhitespace.isEmpty else { throw AppError.required(field) }
        guard let fen = MedicineYuan.fen(typed, maximumFen: MedicineRequestAPI.maximumFen) else { throw AppError.invalid(field) }
        return fen
    }

    /// The form's rows as the API's body; rows with nothing typed in drug, quantity and hospital
    /// are the blank rows and are left out.
    static func fillBody(_ form: ItemsForm) throws -> MedicineRequestAPI.FillBody {
        let drugs = form.drug ?? []
        guard drugs.count <= MedicineRequestAPI.maximumItems + blankRows else { throw AppError.invalid("items") }
        func cell(_ column: [String]?, _ row: Int) -> String? { column.flatMap { row < $0.count ? $0[row] : nil } }
        var items: [MedicineRequestAPI.ItemBody] = []
        for row in drugs.indices {
            let drug = cell(form.drug, row)?.trimmingWhitespace ?? ""
            let quantity = cell(form.quantity, row)?.trimmingWhitespace ?? ""
            let hospital = cell(form.hospital, row)?.trimmingWhitespace ?? ""
            if drug.isEmpty && quantity.isEmpty && hospital.isEmpty { continue }
            let field = "items[\(items.count)].quantity"
            var number: Int?
            if !quantity.isEmpty {
                guard quantity.count <= 4, let parsed = Int(quantity) else { throw AppError.invalid(field) }
                number = parsed
            }
            items.append(MedicineRequestAPI.ItemBody(
                drug: drug, maker: cell(form.maker, row), specification: cell(form.specification, row), quantity: number,
                kind: cell(form.kind, row), source: cell(form.source, row), hospital: hospital, window: cell(form.window, row), cold_chain: cell(form.cold_chain, row) == "1"
            ))
        }
        let cash = try form.cash_advanced.flatMap { $0.trimmingWhitespace.isEmpty ? nil : $0 }.map { try fen($0, field: "cash_advanced") }
        return MedicineRequestAPI.FillBody(items: items, cash_advanced: cash)
    }

    /// "items[1].drug" names the second filled row: the message says so, in words.
    static func rowError(_ error: AppError) -> AppError {
        guard let field = error.field, field.hasPrefix("items["), let close = field.firstIndex(of: "]"),
              let row = Int(field[field.index(field.startIndex, offsetBy: 6)..<close]) else { return error }
        let column = field[field.index(after: close)...].drop { $0 == "." }
        return AppError(error.status, "medicine.form.row_error", field: "medicine_\(column)", arguments: ["row": "\(row + 1)"])
    }

    struct ItemLine {
        var id: MedicineItemID
        var requestID: HelpRequestID
        var text: String
        var place: String
        var coldChain: Bool
        var outcome: String?
        var photoHref: String?
        var canUpload: Bool
    }

    struct ItemRow {
        var index: Int
        var legend: String
        var drug: String
        var maker: String
        var specification: String
        var quantity: String
        var hospital: String
        var window: String
        var kinds: [FormField.Option]
        var sources: [FormField.Option]
        var cold: [FormField.Option]
    }

    struct Content {
        var id: HelpRequestID
        var requestHref: String
        var facts: [RequestPages.Fact]
        var items: [ItemLine]
        var hasItems: Bool
        var canEdit: Bool
        var rows: [ItemRow]
        var cash: FormField
        var canVerify: Bool
        var canSettle: Bool
        var spent: FormField
        var change: FormField
        var moneyNote: FormField
        var runHref: String?
    }

    private func page(_ id: HelpRequestID, context: LinliRequestContext, banner: String?, typed: ItemsForm?, error: AppError?) async throws -> Response {
        let stored = try await RequestReads(services: services).visible(id: id, caller: context.caller)
        var identity: UserIdentity?
        if case .user(let user) = context.caller {
            guard user.grants.allows(.viewSensitive, at: stored.path) else { throw AppError.forbidden }
            identity = user
        }
        guard stored.request.category == .medicine else { throw AppError.notFound }
        let part = try await services.store.read { db in try await MedicineRequestRecords.part(requestID: id, on: db) }
        if let identity, part != nil {
            try await services.audit([AuditEntry(
                at: services.now(), actor: "user:\(identity.user.id)", action: "medicine_request.read", entity: "request", entityID: "\(id)", path: stored.path.rawValue, traceID: context.traceID
            )])
        }
        let language = context.language
        let runs = identity?.grants.allows(.runMedicine, at: stored.path) == true
        let open = stored.request.status.isOpen
        var facts: [RequestPages.Fact] = []
        if let part {
            facts.append(RequestPages.Fact(id: "medicine-queue", label: context.text("medicine.page.queue"), value: context.text("medicine.queue.\(part.queue.rawValue)"), href: nil, userData: false))
            if let status = part.batchStatus {
                facts.append(RequestPages.Fact(id: "medicine-batch", label: context.text("medicine.page.batch"), value: context.text("medicine.batch.status.\(status.rawValue)"), href: nil, userData: false))
            }
            let verified = part.verifiedAt.map { context.text("medicine.page.verified_at", ["time": PageTime.dateTime($0, language)]) } ?? context.text("medicine.page.not_verified")
            facts.append(RequestPages.Fact(id: "medicine-verified", label: context.text("medicine.page.visit_record"), value: verified, href: nil, userData: false))
            let money = part.money
            facts.append(RequestPages.Fact(id: "medicine-money", label: context.text("medicine.page.money"), value: Self.moneyLine(money, context: context), href: nil, userData: false))
        }
        let items = (part?.items ?? []).map { item in
            ItemLine(id: item.id, requestID: id, text: Self.itemText(item), place: [item.hospital, item.window].filter { !$0.isEmpty }.joined(separator: " · "), coldChain: item.coldChain,
                     outcome: item.outcome.map { outcome in
                         context.text("medicine.outcome.\(outcome.rawValue)") + (outcome == .partial ? " \(item.quantityBought ?? 0)/\(item.quantity)" : "")
                     },
                     photoHref: identity != nil && item.boxPhoto != nil ? "/medicine/items/\(item.id)/box-photo" : nil,
                     canUpload: runs && part?.batchStatus != .closed)
        }
        let editable = runs && open && (part?.batchStatus ?? .collecting) == .collecting
        let rows: [ItemRow]
        if let typed {
            rows = (typed.drug ?? []).indices.map { Self.row($0, typed: typed, context: context) }
        } else {
            let written = (part?.items ?? []).enumerated().map { Self.row($0.offset, item: $0.element, context: context) }
            rows = written + (0..<Self.blankRows).map { Self.row(written.count + $0, item: nil, context: context) }
        }
        let errors = FormErrors(error, language: language, fields: ["items", "cash_advanced", "cash_spent", "change_returned", "note", "photo"], defaultField: "items")
        let content = Content(
            id: id, requestHref: "/requests/\(id)", facts: facts, items: items, hasItems: !items.isEmpty, canEdit: editable, rows: rows,
            cash: FormField("cash_advanced", label: context.text("medicine.page.cash_advanced"), hint: context.text("medicine.page.yuan_hint"), error: errors.message(for: "cash_advanced"),
                            value: typed?.cash_advanced ?? part.map { MedicineYuan.text(fen: $0.money.advanced) }, inputmode: "decimal", maxlength: 12),
            canVerify: runs && open && part != nil && part?.verifiedAt == nil,
            canSettle: runs && part != nil && part?.batchStatus != .closed,
            spent: FormField("cash_spent", label: context.text("medicine.page.cash_spent"), value: part?.money.spent.map { MedicineYuan.text(fen: $0) }, inputmode: "decimal", maxlength: 12),
            change: FormField("change_returned", label: context.text("medicine.page.change_returned"), value: part?.money.changeReturned.map { MedicineYuan.text(fen: $0) }, inputmode: "decimal", maxlength: 12),
            moneyNote: FormField("note", label: context.text("field.note"), value: part?.money.note, maxlength: MedicineRequestAPI.maximumNoteLength),
            runHref: runs ? part?.batchID.map { "/medicine/batches/\($0)/run/\(id)" } : nil
        )
        return try PageView(template: "medicine/request", title: context.text("medicine.page.title", ["id": "\(id)"]), content: content,
                            breadcrumbs: [Link(href: "/requests/\(id)", label: context.text("requests.page.title", ["id": "\(id)"]))], banner: banner, errors: errors.messages)
            .response(context)
    }

    /// "预付 200.00，花费 150.50，找零 50.00，差额 -0.50"; a dash for what is not recorded yet.
    static func moneyLine(_ money: MedicineMoney, context: LinliRequestContext) -> String {
        context.text("medicine.page.money_line", [
            "advanced": MedicineYuan.text(fen: money.advanced), "spent": money.spent.map { MedicineYuan.text(fen: $0) } ?? "—",
            "change": money.changeReturned.map { MedicineYuan.text(fen: $0) } ?? "—", "difference": MedicineYuan.text(fen: money.difference),
        ])
    }

    static func itemText(_ item: MedicineItem) -> String {
        [item.drug, item.specification ?? "", item.maker ?? "", "× \(item.quantity)"].filter { !$0.isEmpty }.joined(separator: " ")
    }

    static func options<T: RawRepresentable & CaseIterable>(_ type: T.Type, selected: String?, prefix: String, context: LinliRequestContext) -> [FormField.Option] where T.RawValue == String {
        T.allCases.map { FormField.Option(value: $0.rawValue, label: context.text("\(prefix).\($0.rawValue)"), selected: $0.rawValue == selected) }
    }

    static func coldOptions(_ cold: Bool, context: LinliRequestContext) -> [FormField.Option] {
        [FormField.Option(value: "0", label: context.text("medicine.page.cold_no"), selected: !cold), FormField.Option(value: "1", label: context.text("medicine.page.cold_yes"), selected: cold)]
    }

    static func row(_ index: Int, item: MedicineItem?, context: LinliRequestContext) -> ItemRow {
        ItemRow(
            index: index, legend: context.text("medicine.page.row", ["row": "\(index + 1)"]), drug: item?.drug ?? "", maker: item?.maker ?? "", specification: item?.specification ?? "", quantity: item.map { "\($0.quantity)" } ?? "",
            hospital: item?.hospital ?? "", window: item?.window ?? "",
            kinds: options(MedicineKind.self, selected: item?.kind.rawValue ?? MedicineKind.chronicRefill.rawValue, prefix: "medicine.kind", context: context),
            sources: options(MedicineSource.self, selected: item?.source.rawValue ?? MedicineSource.hospitalWindow.rawValue, prefix: "medicine.source", context: context),
            cold: coldOptions(item?.coldChain ?? false, context: context)
        )
    }

    static func row(_ index: Int, typed form: ItemsForm, context: LinliRequestContext) -> ItemRow {
        func cell(_ column: [String]?) -> String { column.flatMap { index < $0.count ? $0[index] : nil } ?? "" }
        return ItemRow(
            index: index, legend: context.text("medicine.page.row", ["row": "\(index + 1)"]), drug: cell(form.drug), maker: cell(form.maker), specification: cell(form.specification), quantity: cell(form.quantity),
            hospital: cell(form.hospital), window: cell(form.window),
            kinds: options(MedicineKind.self, selected: cell(form.kind), prefix: "medicine.kind", context: context),
            sources: options(MedicineSource.self, selected: cell(form.source), prefix: "medicine.source", context: context),
            cold: coldOptions(cell(form.cold_chain) == "1", context: context)
        )
    }
}
