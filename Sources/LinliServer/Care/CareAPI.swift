import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Pairing, helpers' availability, care plans and check-ins in the JSON API.
struct CareAPI {
    let services: AppServices

    struct PairingBody: Decodable { var place_id: Int64? }
    struct AvailabilityBody: Decodable { var availability: String? }
    struct DoneBody: Decodable { var note: String?; var idempotency_key: String? }
    struct PlanBody: Decodable {
        var entry_id: Int64?
        var kind: String?
        var label: String?
        var weekdays: [Int]?
        var due: String?
        var on_day: String?
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.post("care/pairing") { request, context -> PairingSummary in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: PairingBody.self, context: context)
            guard let raw = body.place_id else { throw AppError.required("place_id") }
            guard raw > 0 else { throw AppError.notFound }
            let place = try await Self.pairingPlace(PlaceID(raw), identity: identity, services: services)
            return try await CarePairingService(services: services).run(place: place, actor: context.actor, traceID: context.traceID)
        }
        router.post("care/helpers/:id/availability") { request, context -> HelperAvailabilityView in
            let identity = try context.requireUser()
            let id: VolunteerID = try context.parameters.id()
            // Who may comes before what was asked, so nobody learns about helpers outside their places.
            _ = try await CarePairingService(services: services).requireHelper(id, identity: identity, capability: .manageCare)
            let body = try await request.decodeJSON(as: AvailabilityBody.self, context: context)
            let availability = try Self.availability(body.availability)
            let (helper, summary) = try await CarePairingService(services: services).setAvailability(availability, of: id, identity: identity, actor: context.actor, traceID: context.traceID)
            return HelperAvailabilityView(helperID: helper.volunteer.id, availability: helper.availability.rawValue, repairing: summary)
        }
        router.post("care/checkins/:id/done") { request, context -> CheckInView in
            let identity = try context.requireUser()
            let id: CareCheckInID = try context.parameters.id()
            try await CareCheckIns(services: services).requireTickable(id, identity: identity)
            let body = try await request.decodeJSON(as: DoneBody.self, context: context)
            try Self.checkKey(body.idempotency_key)
            let ticked = try await CareCheckIns(services: services).tick(id, note: body.note, identity: identity, traceID: context.traceID)
            return CheckInView(ticked.line, changed: ticked.changed)
        }
        router.post("care/plans") { request, context -> EditedResponse<PlanItemView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: PlanBody.self, context: context)
            let item = try await CareCheckIns(services: services).addItem(try Self.newItem(body), identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: PlanItemView(item))
        }
    }

    /// A place pairing can run at: a compound or a place above compounds. Below a compound there
    /// is nothing to pair on its own (a building's people are paired with their compound's helpers).
    static func pairingPlace(_ id: PlaceID, identity: UserIdentity, services: AppServices) async throws -> Place {
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: id, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        guard identity.grants.allows(.manageCare, at: place.path) else { throw AppError.forbidden }
        guard place.level <= .compound else { throw AppError(.badRequest, "care.pairing.error.not_compound", field: "place_id") }
        return place
    }

    static func availability(_ text: String?) throws -> HelperAvailability {
        guard let text, !text.isEmpty else { throw AppError.required("availability") }
        guard let availability = HelperAvailability(rawValue: text) else { throw AppError.invalid("availability") }
        return availability
    }

    /// Keys are not stored: ticking off is idempotent by itself (a tick changes an open check-in
    /// only). They are only bounded, as every input is.
    static func checkKey(_ key: String?) throws {
        if let key, key.count > 200 { throw AppError.tooLong("idempotency_key", max: 200) }
    }

    static func newItem(_ body: PlanBody) throws -> CareCheckIns.NewItem {
        guard let entry = body.entry_id else { throw AppError.required("entry_id") }
        guard entry > 0 else { throw AppError.notFound }
        guard let kindText = body.kind, !kindText.isEmpty else { throw AppError.required("kind") }
        guard let kind = CarePlanKind(rawValue: kindText) else { throw AppError.invalid("kind") }
        guard let due = body.due, !due.isEmpty else { throw AppError.required("due") }
        guard let minute = CareSchedule.minute(ofClock: due) else { throw AppError.invalid("due") }
        let weekdays = body.weekdays ?? []
        guard weekdays.count <= 7, weekdays.allSatisfy((1...7).contains) else { throw AppError.invalid("weekdays") }
        let label = body.label.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let label, label.count > CareCheckIns.maximumLabelLength { throw AppError.tooLong("label", max: CareCheckIns.maximumLabelLength) }
        if let label, label.containsControlCharacters { throw AppError.invalid("label") }
        if let day = body.on_day, !CareSchedule.isDayText(day) { throw AppError.invalid("on_day") }
        return CareCheckIns.NewItem(entryID: CareEntryID(entry), kind: kind, label: label, weekdays: Array(Set(weekdays)).sorted(), dueMinute: minute, onDay: body.on_day)
    }
}

struct HelperAvailabilityView: ResponseCodable {
    var helperID: VolunteerID
    var availability: String
    var repairing: PairingSummary
    enum CodingKeys: String, CodingKey { case helperID = "helper_id", availability, repairing }
}

struct CheckInView: ResponseCodable {
    var id: CareCheckInID
    var entryID: CareEntryID
    var kind: String
    var dueAt: Date
    var doneAt: Date?
    var escalationLevel: Int
    var changed: Bool
    enum CodingKeys: String, CodingKey { case id, entryID = "entry_id", kind, dueAt = "due_at", doneAt = "done_at", escalationLevel = "escalation_level", changed }

    init(_ line: CheckInLine, changed: Bool) {
        id = line.checkIn.id
        entryID = line.checkIn.entryID
        kind = line.kind.rawValue
        dueAt = line.checkIn.dueAt
        doneAt = line.checkIn.doneAt
        escalationLevel = line.checkIn.escalationLevel
        self.changed = changed
    }
}

struct PlanItemView: ResponseCodable {
    var id: CarePlanItemID
    var entryID: CareEntryID
    var kind: String
    var label: String?
    var weekdays: [Int]
    var due: String
    var onDay: String?
    enum CodingKeys: String, CodingKey { case id, entryID = "entry_id", kind, label, weekdays, due, onDay = "on_day" }

    init(_ item: CarePlanItem) {
        id = item.id
        entryID = item.entryID
        kind = item.kind.rawValue
        label = item.label
        weekdays = item.weekdays
        due = CareSchedule.clock(item.dueMinute) ?? ""
        onDay = item.onDay
    }
}

extension PairingSummary: ResponseCodable {}
