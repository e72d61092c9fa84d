import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// A person's care plan in the browser: the items on their register entry, and a form to add one
/// (the same checks as `POST /api/v1/care/plans`).
struct CarePlanPages {
    let services: AppServices

    static let fields = ["kind", "label", "due", "weekdays", "on_day"]

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("care/register/:id/plan") { _, context -> Response in
            let identity = try context.requireUser()
            let item = try await CareRegisterService(services: services).visible(id: try context.parameters.id(), capability: .manageCare, identity: identity)
            return try page(item, fields: ["kind": CarePlanKind.call.rawValue, "due": "09:00"], error: nil, context: context)
        }
        router.post("care/register/:id/plan") { request, context -> Response in
            let identity = try context.requireUser()
            let id: CareEntryID = try context.parameters.id()
            let item = try await CareRegisterService(services: services).visible(id: id, capability: .manageCare, identity: identity)
            let fields = try await request.decodeForm(as: [String: String].self, context: context)
            try context.verifyCSRF(fields["_csrf"])
            do {
                let body = CareAPI.PlanBody(
                    entry_id: id.rawValue, kind: fields["kind"], label: fields["label"],
                    weekdays: (1...7).filter { fields["w\($0)"] != nil }, due: fields["due"],
                    on_day: fields["on_day"].flatMap { $0.isEmpty ? nil : $0 }
                )
                _ = try await CareCheckIns(services: services).addItem(try CareAPI.newItem(body), identity: identity, traceID: context.traceID)
                return redirect(to: "/care/register/\(id)?notice=care_plan_added#care-plan")
            } catch let error as AppError where error.status == .badRequest {
                return try page(item, fields: fields, error: error, context: context).withStatus(.badRequest)
            }
        }
    }

    struct Weekday {
        var id: String
        var label: String
        var checked: Bool
    }

    struct Content {
        var id: CareEntryID
        var kind: FormField
        var label: FormField
        var due: FormField
        var weekdays: [Weekday]
        var weekdaysHint: String
        var onDay: FormField
    }

    private func page(_ item: CareRegisterItem, fields: [String: String], error: AppError?, context: LinliRequestContext) throws -> Response {
        let errors = FormErrors(error, language: context.language, fields: Self.fields, defaultField: "kind")
        let kind = fields["kind"] ?? ""
        let content = Content(
            id: item.entry.id,
            kind: FormField("kind", label: context.text("field.kind"), error: errors.message(for: "kind"), options: CarePlanKind.allCases.map {
                FormField.Option(value: $0.rawValue, label: context.text("care.plan.kind.\($0.rawValue)"), selected: $0.rawValue == kind)
            }),
            label: FormField("label", label: context.text("field.label"), hint: context.text("care.plan.label_hint"), error: errors.message(for: "label"),
                             value: fields["label"], maxlength: CareCheckIns.maximumLabelLength),
            due: FormField("due", label: context.text("field.due"), hint: context.text("care.plan.due_hint"), error: errors.message(for: "due"),
                           value: fields["due"], type: "time", required: true),
            weekdays: (1...7).map { Weekday(id: "w\($0)", label: context.text("care.plan.weekday.\($0)"), checked: fields["w\($0)"] != nil) },
            weekdaysHint: context.text("care.plan.weekdays_hint"),
            onDay: FormField("on_day", label: context.text("field.on_day"), hint: context.text("care.plan.on_day_hint"), error: errors.message(for: "on_day"),
                             value: fields["on_day"], type: "date")
        )
        return try PageView(template: "care/plan-new", title: context.text("care.plan.new.title", ["name": item.residentName]), content: content,
                            breadcrumbs: [Link(href: "/care/register", label: context.text("care.register.title")), Link(href: "/care/register/\(item.entry.id)", label: item.residentName)],
                            errors: errors.messages).response(context)
    }

    /// One line per item for the entry's page: "电话问候 · 每天 09:00", "透析接送 · 周一、周三、周五 07:00".
    static func lines(_ items: [CarePlanItem], context: LinliRequestContext) -> [String] {
        items.filter(\.active).map { item in
            let when: String
            if let day = item.onDay {
                when = context.text("care.plan.on_day", ["day": day])
            } else if item.weekdays.isEmpty {
                when = context.text("care.plan.every_day")
            } else {
                when = item.weekdays.map { context.text("care.plan.weekday.\($0)") }.joined(separator: context.text("care.register.list_separator"))
            }
            let what = [context.text("care.plan.kind.\(item.kind.rawValue)"), item.label].compactMap { $0 }.joined(separator: " · ")
            return "\(what) · \(when) \(CareSchedule.clock(item.dueMinute) ?? "")"
        }
    }
}
