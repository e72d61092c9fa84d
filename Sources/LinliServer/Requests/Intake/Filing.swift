import Foundation
import LinliCore
import LinliStore

/// A request as the person filing it wrote it.
struct Filing: Sendable {
    var householdID: PlaceID
    var residentID: ResidentID?
    var category: RequestCategory
    var description: String
    var channel: RequestChannel

    /// The longest description, and the longest note beside a lifecycle step.
    static let maximumDescriptionLength = 2_000

    /// What is wrong with the form itself; answered only once the caller may file for the
    /// household (a household outside their places is a 404 whatever the form says).
    static func formError(description: String, idempotencyKey: String?) -> AppError? {
        if description.isEmpty { return .required("description") }
        if description.count > maximumDescriptionLength { return .tooLong("description", max: maximumDescriptionLength) }
        if description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) { return .invalid("description") }
        if let idempotencyKey, idempotencyKey.count > 200 || idempotencyKey.containsControlCharacters { return .invalid("idempotency_key") }
        return nil
    }
}

/// What filing answers: the request, new or filed before.
struct Filed: Sendable {
    var stored: StoredRequest
    /// False when the idempotency key named a request filed before.
    var created: Bool
}

/// Who files and for which household: a household for itself, whatever the form says; staff
/// for a household in their places (`grants`, checked when the household is read).
struct Filer: Sendable {
    var householdID: PlaceID
    var actor: RequestActor
    var grants: Grants?
    var channel: RequestChannel

    init(_ caller: Caller, householdID: PlaceID?) throws {
        switch caller {
        case .household(let identity):
            (self.householdID, actor, grants, channel) = (identity.household.id, .household(id: identity.household.id), nil, .householdCode)
        case .user(let identity):
            guard let householdID else { throw AppError.required("household_id") }
            (self.householdID, actor, grants, channel) = (householdID, .user(id: identity.user.id), identity.grants, .volunteerOnBehalf)
        case .anonymous:
            throw AppError.unauthenticated
        }
    }
}

/// A filing as it reaches the batch: the form, who sent it, and what could be decided
/// without the database.
struct FilingSubmission: Sendable {
    var filing: Filing
    var actor: RequestActor
    /// The actor as the audit log and idempotency keys name it.
    var scope: String
    var grants: Grants?
    var idempotencyKey: String?
    var formError: AppError?
    /// What the description says about urgency (the care register is read with the household).
    var described: [UrgencyFinding]
    /// The HTTP request that brought it, for the audit log.
    var traceID: String
    var at: Date
}

enum FilingOutcome: Sendable {
    case created(StoredRequest)
    /// The idempotency key named a request filed before.
    case replayed(StoredRequest)
    case refused(AppError)
}

