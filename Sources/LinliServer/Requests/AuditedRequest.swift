import LinliCore

/// What the audit log keeps of a new request (no free-text health details beyond the description).
struct AuditedRequest {
    /// JSON with sorted keys and absent owners left out, written directly: every filing writes
    /// one, inside the batch's transaction. The values are raw values of enums and numbers, which
    /// need no escaping.
    var json: String {
        var json = #"{"category":"\#(category)","channel":"\#(channel)""#
        if let ownerPlaceID { json += #","ownerPlaceID":\#(ownerPlaceID)"# }
        if let ownerUserID { json += #","ownerUserID":\#(ownerUserID)"# }
        return json + #","urgency":"\#(urgency)"}"#
    }

    var category: String
    var urgency: String
    var channel: String
    var ownerUserID: UserID?
    var ownerPlaceID: PlaceID?

    init(_ request: HelpRequest) {
        category = request.category.rawValue
        urgency = request.urgency.rawValue
        channel = request.channel.rawValue
        ownerUserID = request.ownerUserID
        ownerPlaceID = request.ownerPlaceID
    }
}
