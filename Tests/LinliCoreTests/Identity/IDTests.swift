import Foundation
import LinliCore
import Testing

@Suite("Typed IDs are plain integers outside Swift")
struct IDTests {
    @Test("an ID is its integer in JSON, in both directions, so the API's fields did not change")
    func json() throws {
        struct Body: Codable, Equatable {
            var householdID: PlaceID
            var ownerUserID: UserID?
        }
        let body = Body(householdID: 12, ownerUserID: nil)
        let encoded = try JSONEncoder().encode(body)
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"householdID":12}"#)
        #expect(try JSONDecoder().decode(Body.self, from: Data(#"{"householdID":9007199254740993,"ownerUserID":7}"#.utf8)) == Body(householdID: 9_007_199_254_740_993, ownerUserID: 7))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Body.self, from: Data(#"{"householdID":"12"}"#.utf8)) }
    }

    @Test("parsed from text as a decimal integer only; printed as one")
    func text() {
        #expect(PlaceID("42") == 42)
        #expect(PlaceID("42".dropFirst()) == 2)
        for bad in ["", " 4", "4 ", "0x10", "4.0", "99999999999999999999", "四"] { #expect(PlaceID(bad) == nil, "\(bad)") }
        #expect("\(HelpRequestID(9))" == "9")
        #expect(PlaceID(3) < PlaceID(10))
    }
}
