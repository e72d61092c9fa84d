import Testing
@testable import LinliCore

/// Until `Catalogue.sections` lists `requests`, these check the section itself; the shared
/// catalogue tests then also cover collisions and placeholders.
@Suite("Request texts")
struct RequestCatalogueTests {
    static var keys: [String] {
        RequestCategory.allCases.map(\.catalogueKey) + Urgency.allCases.map(\.catalogueKey)
            + RequestStatus.allCases.map(\.catalogueKey) + RequestChannel.allCases.map(\.catalogueKey)
            + RequestTransition.Kind.allCases.map(\.catalogueKey) + MissedDeadline.allCases.map(\.catalogueKey)
            + RequestRuleError.Code.allCases.map { RequestRuleError($0).catalogueKey }
            + DeadlinePolicyError.Code.allCases.map { DeadlinePolicyError(code: $0, field: "x").catalogueKey }
            + UrgencyTrigger.allCases.map(\.catalogueKey) + UrgencySource.allCases.map(\.catalogueKey)
            + RoutingRuleError.Code.allCases.map { RoutingRuleError(code: $0, index: 0).catalogueKey } + ["requests.policy.not_district"]
    }

    @Test("every category, urgency, status, channel, transition, rule and reason has a text in both languages")
    func everyKeyHasText() {
        for key in Self.keys {
            let entry = Catalogue.requests[key]
            #expect(entry.map { !$0.zhHans.isEmpty && !$0.en.isEmpty } == true, "missing \(key)")
        }
    }

    @Test("the section holds no text that nothing uses")
    func noOrphans() {
        #expect(Set(Catalogue.requests.keys).subtracting(Self.keys).isEmpty)
    }

    @Test("rule codes are stable snake_case and each names the field it concerns")
    func ruleCodes() {
        for code in RequestRuleError.Code.allCases {
            #expect(code.rawValue.wholeMatch(of: /[a-z]+(_[a-z]+)*/) != nil)
            #expect(!code.field.isEmpty)
        }
        #expect(RequestRuleError(.reopenWindowPassed).catalogueKey == "requests.rule.reopen_window_passed")
    }
}
