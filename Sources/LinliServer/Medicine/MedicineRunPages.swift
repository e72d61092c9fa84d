import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// The runner's phone page at the hospital: every household of the batch with its items to tick,
/// its cards and its money; a box to type (or scan, with a scanner that types) a card's number
/// and find whose it is; and, for whoever manages the run, closing the batch once it adds up.
struct MedicineRunPages {
    let services: AppServices
    var medicine: MedicineRequestService { MedicineRequestService(services: services) }

    struct OutcomeForm: Decodable {
        var _csrf: String?
        var outcome: String?
        var quantity_bought: String?
        var note: String?
    }

    struct CardForm: Decodable {
        var _csrf: String?
        var event: String?
        var household_code: String?
        var number: String?
    }

    /// One select per hospital: `hospital[]` and `runner[]` in the same order.
    struct RunnersForm: Decodable {
        var _csrf: String?
        var hospital: [String]?
        var runner: [String]?
    }

    struct CloseForm: Decodable {
        var _csrf: String?
        var money_explanation: String?
        /// "yes" once the person has seen the confirmation step: a closed batch cannot reopen.
        var confirmed: String?
    }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("medicine/batches/:id/run") { request, context -> Response in
            let identity = try context.requireUser()
            let hospital = try Query(request: request).string("hospital", maxLength: MedicineRequestAPI.maximumTextLength)
            return try await page(try context.parameters.id(), hospital: hospital, identity: identity, context: context, banner: noticeBanner(request, context), error: nil)
        }
        router.get("medicine/batches/:id/run/:request") { request, context -> Response in
            let identity = try context.requireUser()
            let id: MedicineBatchID = try context.parameters.id()
            _ = try await runnableBatch(id, identity: identity)
            let stop: HelpRequestID = try context.parameters.id("request")
            let card = try Query(request: request).placeID("card").map { MedicineCardID($0.rawValue) }
            return try await page(id, stop: stop, identity: identity, context: context, banner: noticeBanner(request, context), error: nil, highlight: card)
        }
        router.post("medicine/batches/:id/run/card") { request, context -> Response in
            let identity = try context.requireUser()
            let id: MedicineBatchID = try context.parameters.id()
            _ = try await runnableBatch(id, identity: identity)
            let form = try await request.decodeForm(as: CardForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let number = (form.number ?? "").filter { !$0.isWhitespace }
            guard !number.isEmpty, number.count <= CardCustodyAPI.maximumNumberLength, !number.containsControlCharacters else {
                return try await page(id, hospital: nil, identity: identity, context: context, banner: nil, error: .invalid("number")).withStatus(.badRequest)
            }
            let found = try await services.store.read { db in try await MedicineRunRecords.card(batch: id, number: number, on: db) }
            guard let found, let stop = found.requestID else {
                // Nothing found is an answer, not a broken request: the page says so beside the box.
                return try await page(id, hospital: nil, identity: identity, context: context, banner: nil, error: AppError(.notFound, "medicine.run.card_unknown", field: "number"))
            }
            return redirect(to: "/medicine/batches/\(id)/run/\(stop)?card=\(found.id)&notice=medicine_card_found#card-\(found.id)")
        }
        router.post("medicine/items/:id/outcome") { request, context -> Response in
            let identity = try context.requireUser()
            let id: MedicineItemID = try context.parameters.id()
            guard let requestID = try await services.store.read({ db in try await MedicineRequestRecords.requestID(item: id, on: db) }) else { throw AppError.notFound }
            _ = try await medicine.request(requestID, capability: .runMedicine, identity: identity)
            let form = try await request.decodeForm(as: OutcomeForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let batch = try await services.store.read { db in try await MedicineRequestRecords.part(requestID: requestID, on: db)?.batchID }
            do {
                guard let text = form.outcome, !text.isEmpty else { throw AppError.required("outcome") }
                guard let outcome = MedicineOutcome(rawValue: text) else { throw AppError.invalid("outcome") }
                var bought: Int?
                if let typed = form.quantity_bought?.trimmingWhitespace, !typed.isEmpty {
                    guard typed.count <= 4, let number = Int(typed) else { throw AppError.invalid("quantity_bought") }
                    bought = number
                }
                _ = try await medicine.recordOutcome(item: id, outcome: outcome, quantityBought: bought, note: try MedicineRequestAPI.note(form.note), identity: identity, traceID: context.traceID)
            } catch let error as AppError where (error.status == .badRequest || error.status == .conflict) && batch != nil {
                return try await page(batch ?? 0, stop: requestID, identity: identity, context: context, banner: nil, error: error).withStatus(error.status)
            }
            guard let batch else { return redirect(to: "/requests/\(requestID)/medicine?notice=medicine_outcome_saved") }
            return redirect(to: "/medicine/batches/\(batch)/run/\(requestID)?notice=medicine_outcome_saved")
        }
        router.post("medicine/batches/:id/run/cards/:card") { request, context -> Response in
            let identity = try context.requireUser()
            let id: MedicineBatchID = try context.parameters.id()
            _ = try await runnableBatch(id, identity: identity)
            let cardID: MedicineCardID = try context.parameters.id("card")
            let form = try await request.decodeForm(as: CardForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let cards = CardCustodyService(services: services)
            let stop = try await services.store.read { db in try await CardCustodyRecords.card(id: cardID, on: db)?.card.requestID }
            let back = stop.map { "/medicine/batches/\(id)/run/\($0)" } ?? "/medicine/batches/\(id)/run"
            do {
                let step = try CardCustodyAPI.step(CardCustodyAPI.CustodyBody(
                    event: form.event, holder_user_id: form.event == CustodyEvent.withRunner.rawValue ? identity.user.id.rawValue : nil,
                    household_code: form.household_code?.trimmingWhitespace, note: nil
                ))
                _ = try await cards.step(cardID, step, identity: identity, remoteIP: context.remoteIP, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try await page(id, stop: stop, identity: identity, context: context, banner: nil, error: error).withStatus(error.status)
            }
            return redirect(to: "\(back)?notice=medicine_card_saved#card-\(cardID)")
        }
        router.post("medicine/batches/:id/runners") { request, context -> Response in
            let identity = try context.requireUser()
            let id: MedicineBatchID = try context.parameters.id()
            let api = MedicineAPI(services: services)
            let path = try await api.managedBatch(id, identity: identity)
            let form = try await request.decodeForm(as: RunnersForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let hospitals = form.hospital ?? [], runners = form.runner ?? []
            guard hospitals.count == runners.count, hospitals.count <= MedicineAPI.maximumRunners else { throw AppError.invalid("runners") }
            var chosen: [(hospital: String, userID: UserID)] = []
            for (hospital, runner) in zip(hospitals, runners) where !runner.isEmpty {
                guard let user = Int64(runner), user > 0, !chosen.contains(where: { $0.hospital == hospital }) else { throw AppError.invalid("runners") }
                chosen.append((hospital, UserID(user)))
            }
            do {
                try await api.assignRunners(id, path: path, chosen, identity: identity, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest {
                return try await page(id, identity: identity, context: context, banner: nil, error: AppError(.badRequest, error.key, field: "runners")).withStatus(.badRequest)
            }
            return redirect(to: "/medicine/batches/\(id)/run?notice=medicine_runners_saved")
        }
        router.post("medicine/batches/:id/close") { request, context -> Response in
            let identity = try context.requireUser()
            let id: MedicineBatchID = try context.parameters.id()
            let api = MedicineAPI(services: services)
            let path = try await api.managedBatch(id, identity: identity)
            let form = try await request.decodeForm(as: CloseForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                let explanation = try MedicineRequestAPI.note(form.money_explanation, field: "money_explanation")
                if form.confirmed != "yes" {
                    let content = ConfirmClose(id: id, explanation: explanation ?? "", question: context.text("medicine.run.close_question"),
                                               warning: context.text("medicine.run.close_warning"), confirmLabel: context.text("medicine.run.close_yes"),
                                               backLabel: context.text("medicine.run.close_no"))
                    return try PageView(template: "medicine/close", title: context.text("medicine.run.close"), content: content).response(context)
                }
                try await api.close(id, path: path, explanation: explanation, identity: identity, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try await page(id, hospital: nil, identity: identity, context: context, banner: nil, error: error, explanation: form.money_explanation).withStatus(error.status)
            }
            return redirect(to: "/medicine/batches/\(id)/run?notice=medicine_batch_closed")
        }
    }

    struct ConfirmClose {
        var id: MedicineBatchID
        var explanation: String
        var question: String
        var warning: String
        var confirmLabel: String
        var backLabel: String
    }

    /// A batch the caller may run and read (404 otherwise, as everywhere outside one's places).
    func runnableBatch(_ id: MedicineBatchID, identity: UserIdentity) async throws -> (MedicineBoardBatch, PlacePath) {
        guard let (batch, path) = try await services.store.read({ db in try await MedicineBoardRecords.batch(id, on: db) }),
              identity.grants.allows(.runMedicine, at: path), identity.grants.allows(.viewSensitive, at: path) else { throw AppError.notFound }
        return (batch, path)
    }

    struct CardLine {
        var id: MedicineCardID
        var batch: MedicineBatchID
        var text: String
        var highlighted: Bool
        var take: Bool
        var atHospital: Bool
        var giveBack: Bool
    }

    struct OutcomeChoice {
        var value: String
        var label: String
    }

    struct ItemLine {
        var id: MedicineItemID
        var text: String
        var place: String
        var coldChain: Bool
        var outcome: String?
        var open: Bool
        var choices: [OutcomeChoice]
    }

    struct Stop {
        var requestID: HelpRequestID
        var batch: MedicineBatchID
        /// One household's page, with its forms; the overview shows what is recorded only.
        var detailed: Bool
        var heading: String
        var status: Tag
        var items: [ItemLine]
        var cards: [CardLine]
        var money: String
        var spent: String
        var change: String
        var settle: Bool
    }

    struct HospitalLink {
        var label: String
        var href: String
        var current: Bool
    }

    struct RunnerChoice {
        var hospital: String
        var index: Int
        var options: [FormField.Option]
    }

    struct Content {
        var id: MedicineBatchID
        /// For whoever manages the run: one select per hospital.
        var runners: [RunnerChoice]
        var hasRunners: Bool
        var summary: String
        var hospitals: [HospitalLink]
        var allHref: String
        var filtered: Bool
        var number: FormField
        var stops: [Stop]
        var isEmpty: Bool
        var totals: String
        var canClose: Bool
        var overview: Bool
        var explanation: FormField
    }

    /// The run's overview (every household, what came of each item, the cards and the money), or
    /// with `stop` one household's page with the forms to record its outcomes, cards and money:
    /// a batch of thirty households with every form on one page would be too heavy for a phone.
    private func page(_ id: MedicineBatchID, hospital: String? = nil, stop only: HelpRequestID? = nil, identity: UserIdentity, context: LinliRequestContext, banner: String?, error: AppError?,
                      highlight: MedicineCardID? = nil, explanation: String? = nil) async throws -> Response {
        let (batch, path) = try await runnableBatch(id, identity: identity)
        let manages = identity.grants.allows(.manageMedicine, at: path)
        let (stops, hospitals, candidates, assigned) = try await services.store.read { db in
            (try await MedicineRunRecords.stops(batch: id, on: db), try await MedicineRequestRecords.hospitals(batch: id, on: db),
             manages && only == nil ? try await MedicineRequestRecords.runnerCandidates(path: path, on: db) : [],
             try await MedicineRequestRecords.runnerIDs(batch: id, on: db))
        }
        let shown = stops.filter { stop in
            if let only { return stop.requestID == only }
            return hospital.map { name in stop.items.contains { $0.hospital == name } } ?? true
        }
        if only != nil && shown.isEmpty { throw AppError.notFound }
        // What each household takes is health data: one audit row per household shown.
        let now = services.now()
        try await services.audit(shown.map {
            AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "medicine_request.read", entity: "request", entityID: "\($0.requestID)", path: $0.path.rawValue, traceID: context.traceID)
        })
        let language = context.language
        let formed = batch.batch.status == .formed
        let choices = MedicineOutcome.allCases.map { OutcomeChoice(value: $0.rawValue, label: context.text("medicine.outcome.\($0.rawValue)")) }
        let runnerChoices = manages && only == nil && batch.batch.status != .closed ? hospitals.enumerated().map { index, hospital in
            RunnerChoice(hospital: hospital, index: index, options: [FormField.Option(value: "", label: context.text("medicine.run.nobody"), selected: assigned[hospital] == nil)]
                + candidates.map { FormField.Option(value: "\($0.id)", label: $0.name, selected: assigned[hospital] == $0.id) })
        } : []
        let content = Content(
            id: id, runners: runnerChoices, hasRunners: !runnerChoices.isEmpty,
            summary: context.text("medicine.print.summary", [
                "team": batch.teamName, "night": batch.batch.night, "kind": context.text("medicine.batch.kind.\(batch.batch.kind.rawValue)"), "households": "\(batch.households)",
            ]) + " · " + context.text("medicine.batch.status.\(batch.batch.status.rawValue)"),
            hospitals: hospitals.map { name in
                HospitalLink(label: name, href: "/medicine/batches/\(id)/run?hospital=\(name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))) ?? "")", current: name == hospital)
            },
            allHref: "/medicine/batches/\(id)/run", filtered: hospital != nil,
            number: FormField("number", label: context.text("medicine.run.number"), hint: context.text("medicine.run.number_hint"), error: FormErrors(error, language: language, fields: ["number"], defaultField: "").message(for: "number"),
                              inputmode: "numeric", autocomplete: "off", maxlength: CardCustodyAPI.maximumNumberLength),
            stops: shown.map { stop in
                Stop(
                    requestID: stop.requestID, batch: id, detailed: only != nil,
                    heading: "No.\(String(format: "%06lld", stop.requestID.rawValue)) · \(stop.building) \(stop.room) \(stop.surname)",
                    status: .status(stop.requestStatus, language),
                    items: stop.items.filter { item in hospital.map { item.hospital == $0 } ?? true }.map { item in
                        ItemLine(
                            id: item.id, text: MedicineRequestPages.itemText(item), place: [item.hospital, item.window].filter { !$0.isEmpty }.joined(separator: " · "),
                            coldChain: item.coldChain,
                            outcome: item.outcome.map { context.text("medicine.outcome.\($0.rawValue)") + ($0 == .partial ? " \(item.quantityBought ?? 0)/\(item.quantity)" : "") },
                            open: item.outcome == nil && formed && stop.requestStatus.isOpen, choices: choices
                        )
                    },
                    cards: stop.cards.map { card in
                        CardLine(id: card.id, batch: id, text: "\(context.text("medicine.card.kind.\(card.kind.rawValue)")) \(card.maskedNumber) · \(context.text("medicine.card.state.\(card.state.rawValue)"))",
                                 highlighted: card.id == highlight, take: card.state == .receivedFromHousehold, atHospital: card.state == .withRunner, giveBack: card.state.cardIsOut)
                    },
                    money: MedicineRequestPages.moneyLine(stop.money, context: context),
                    spent: stop.money.spent.map { MedicineYuan.text(fen: $0) } ?? "", change: stop.money.changeReturned.map { MedicineYuan.text(fen: $0) } ?? "",
                    settle: batch.batch.status != .closed
                )
            },
            isEmpty: shown.isEmpty,
            totals: {
                let money = MedicineRules.batchMoney(stops.map { ($0.requestID, $0.money) })
                return MedicineRequestPages.moneyLine(MedicineMoney(advanced: money.advanced, spent: money.spent, changeReturned: money.changeReturned), context: context)
            }(),
            canClose: only == nil && formed && identity.grants.allows(.manageMedicine, at: path),
            overview: only == nil,
            explanation: FormField("money_explanation", label: context.text("medicine.run.explanation"), hint: context.text("medicine.run.explanation_hint"),
                                   value: explanation, maxlength: MedicineRequestAPI.maximumNoteLength)
        )
        // On one household's page an error belongs to the household's section (the summary links there).
        let errors = error.map { FormErrors($0, language: language, fields: ["number", "money_explanation", "runners"], defaultField: only.map { "request-\($0)" } ?? "number").messages } ?? []
        var breadcrumbs = [Link(href: "/medicine", label: context.text("nav.medicine"))]
        if only != nil { breadcrumbs.append(Link(href: "/medicine/batches/\(id)/run", label: context.text("medicine.run.title", ["team": batch.teamName]))) }
        return try PageView(template: "medicine/run", title: only.map { context.text("medicine.run.stop_title", ["id": "\($0)"]) } ?? context.text("medicine.run.title", ["team": batch.teamName]),
                            content: content, breadcrumbs: breadcrumbs, banner: banner, errors: errors).response(context)
    }
}
