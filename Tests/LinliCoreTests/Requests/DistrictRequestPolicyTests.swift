import Foundation
import LinliCore
import Testing

@Suite("A district's request policy")
struct DistrictRequestPolicyTests {
    let district = PlacePath(rawValue: "1/2")

    @Test("routing rules are stored as plain JSON and read back the same")
    func roundTrip() throws {
        let rules = [
            RoutingRule(scope: PlacePath(rawValue: "1/2/5"), category: .medicine, target: .role(.medicineRunner)),
            RoutingRule(target: .place(.committee)),
        ]
        let json = try JSONEncoder().encode(rules)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""role":"medicine_runner""#) && text.contains(#""place_level":"committee""#) && text.contains(#""scope":"1\/2\/5""#))
        #expect(try JSONDecoder().decode([RoutingRule].self, from: json) == rules)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RoutingRule.self, from: Data(#"{"category":"food"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RoutingRule.self, from: Data(#"{"role":"admin","place_level":"compound"}"#.utf8)) }
    }

    @Test("a rule's scope lies in the district, its target between district and household, and there are at most 50")
    func validation() throws {
        let good = DistrictRequestPolicy(rules: [RoutingRule(scope: PlacePath(rawValue: "1/2/5"), target: .place(.compound)), RoutingRule(target: .place(.district))])
        try good.validate(district: district)
        #expect(throws: RoutingRuleError(code: .scopeOutsideDistrict, index: 0)) {
            try DistrictRequestPolicy(rules: [RoutingRule(scope: PlacePath(rawValue: "1/3"), target: .place(.compound))]).validate(district: district)
        }
        #expect(throws: RoutingRuleError(code: .targetLevel, index: 1)) {
            try DistrictRequestPolicy(rules: [RoutingRule(target: .place(.building)), RoutingRule(target: .place(.household))]).validate(district: district)
        }
        #expect(throws: RoutingRuleError(code: .targetLevel, index: 0)) {
            try DistrictRequestPolicy(rules: [RoutingRule(target: .place(.city))]).validate(district: district)
        }
        let many = DistrictRequestPolicy(rules: Array(repeating: RoutingRule(target: .place(.compound)), count: 51))
        #expect(throws: RoutingRuleError(code: .tooMany, index: 50)) { try many.validate(district: district) }
    }

    @Test("the district's rules come first and the standard ones follow, so every request finds an owner")
    func routingOrder() {
        let policy = DistrictRequestPolicy(rules: [RoutingRule(category: .medicine, target: .place(.committee))])
        #expect(policy.routing.rules.first == RoutingRule(category: .medicine, target: .place(.committee)))
        #expect(Array(policy.routing.rules.dropFirst()) == RequestRouting.standardRules)
    }
}
