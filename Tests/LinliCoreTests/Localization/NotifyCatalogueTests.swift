import Testing
@testable import LinliCore

/// These check the section itself; once `Catalogue.sections` lists `notify`, the shared catalogue
/// tests also cover collisions and placeholders, and the messages below are checked end to end.
@Suite("Notification texts")
struct NotifyCatalogueTests {
    static let registered = Catalogue.sections.contains { $0["notify.target.wecom"] != nil }

    static var keys: [String] {
        WebhookTarget.Kind.allCases.map(\.catalogueKey)
            + WebhookTargetError.Code.allCases.map { WebhookTargetError($0).catalogueKey }
            + DeliveryFailure.Reason.allCases.map { DeliveryFailure($0, detail: "").catalogueKey }
    }

    @Test("every target kind, refusal and failure reason has a text in both languages")
    func everyKeyHasText() {
        for key in Self.keys {
            let entry = Catalogue.notify[key]
            #expect(entry.map { !$0.zhHans.isEmpty && !$0.en.isEmpty } == true, "missing \(key)")
        }
    }

    @Test("the section holds no text that nothing uses")
    func noOrphans() {
        #expect(Set(Catalogue.notify.keys) == Set(Self.keys))
    }

    @Test("every failure text has a place for the receiver's detail in both languages")
    func failureDetail() {
        for reason in DeliveryFailure.Reason.allCases {
            let entry = Catalogue.notify[DeliveryFailure(reason, detail: "").catalogueKey]
            #expect(entry?.zhHans.contains("{detail}") == true && entry?.en.contains("{detail}") == true, "\(reason)")
        }
    }

    @Test("codes are stable snake_case and each refusal names the field it concerns")
    func codes() {
        for code in WebhookTargetError.Code.allCases {
            #expect(code.rawValue.wholeMatch(of: /[a-z]+(_[a-z]+)*/) != nil)
            #expect(["kind", "url", "secret"].contains(code.field))
        }
        #expect(WebhookTargetError(.secretBlank).catalogueKey == "notify.target_error.secret_blank")
    }

    @Test("a refused target and a failed delivery speak to the admin in their language", .enabled(if: registered))
    func messages() {
        #expect(WebhookTargetError(.urlInvalid).message(in: .en) == "The webhook URL must be a full address starting with https:// or http://")
        #expect(WebhookTargetError(.secretRequired).message(in: .zhHans) == "HTTP 回调必须设置签名密钥")
        let failure = DeliveryFailure(.rejected, detail: "HTTP 200, errcode 310000: sign not match")
        #expect(failure.message(in: .en) == "Refused by the receiver, and retrying will not help; check the URL and secret, and for a group robot its keywords and IP list: HTTP 200, errcode 310000: sign not match")
        #expect(failure.message(in: .zhHans) == "接收方拒收，重试也不会成功；请检查地址和密钥，群机器人还要检查关键词和 IP 白名单：HTTP 200, errcode 310000: sign not match")
    }
}
