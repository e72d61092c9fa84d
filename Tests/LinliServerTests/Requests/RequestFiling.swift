import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LinliCore

/// Files requests over the JSON API, as every test that needs one does.
enum RequestFiling {
    /// Files a request: a household's token files for its own household (leave `household` out),
    /// staff name the household.
    static func file(
        _ token: String, household: PlaceID? = nil, category: String = "food", description: String = "家里没有米了，想团购一袋大米",
        residentID: ResidentID? = nil, key: String? = nil, client: some TestClientProtocol
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let key { headers[.init("Idempotency-Key")!] = key }
        let householdField = household.map { #""household_id":\#($0),"# } ?? ""
        let resident = residentID.map { #","resident_id":\#($0)"# } ?? ""
        let body = #"{\#(householdField)"category":"\#(category)","description":"\#(description)"\#(resident)}"#
        return try await client.execute(uri: "/api/v1/requests", method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}
