import Foundation
import Testing
@testable import LinliCore

@Suite("Webhook targets")
struct WebhookTargetTests {
    typealias F = NotifyFixtures

    @Test("each kind has a stable name and survives the database's JSON", arguments: WebhookTarget.Kind.allCases)
    func roundTrip(kind: WebhookTarget.Kind) throws {
        let target = F.target(kind)
        #expect(target.kind == kind)
        let json = try JSONEncoder().encode(target)
        #expect(try JSONDecoder().decode(WebhookTarget.self, from: json) == target)
        let stored = try #require(try JSONSerialization.jsonObject(with: json) as? [String: String])
        #expect(stored["kind"] == kind.rawValue && stored["url"] == target.url && stored["secret"] == target.secret)
    }

    @Test("the stored kinds are exactly wecom, dingtalk, feishu and http")
    func kindNames() {
        #expect(WebhookTarget.Kind.allCases.map(\.rawValue) == ["wecom", "dingtalk", "feishu", "http"])
    }

    @Test("a group robot without a secret is stored without one")
    func unsignedRobot() throws {
        let target = try JSONDecoder().decode(WebhookTarget.self, from: Data(#"{"kind":"feishu","url":"https://open.feishu.cn/open-apis/bot/v2/hook/x"}"#.utf8))
        #expect(target == .feishu(url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", secret: nil))
        #expect(String(decoding: try JSONEncoder().encode(target), as: UTF8.self).contains("secret") == false)
    }

    @Test("a local receiver over plain http is a well-formed target; whether it may be reached is WebhookNetworkPolicy's call")
    func localReceiver() throws {
        #expect(try WebhookTarget(kind: "http", url: "http://127.0.0.1:8099/linli", secret: "k") == .http(url: "http://127.0.0.1:8099/linli", secret: "k"))
        #expect(try WebhookTarget(kind: "wecom", url: "HTTP://localhost/cgi-bin/webhook/send?key=1", secret: nil).kind == .wecom)
    }

    @Test("a target that could never deliver is refused, naming the field",
          arguments: [
              ("slack", F.wecomURL, nil, WebhookTargetError.Code.unknownKind, "kind"),
              ("wecom", "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1", nil, .urlInvalid, "url"),
              ("wecom", "ftp://qyapi.weixin.qq.com/send", nil, .urlInvalid, "url"),
              ("dingtalk", "https://", nil, .urlInvalid, "url"),
              ("feishu", "", nil, .urlInvalid, "url"),
              ("feishu", "https://open.feishu.cn/hook/有 空格", nil, .urlInvalid, "url"),
              ("http", F.httpURL, nil, .secretRequired, "secret"),
              ("http", F.httpURL, "", .secretBlank, "secret"),
              ("dingtalk", F.dingtalkURL, " \n", .secretBlank, "secret"),
          ] as [(String, String, String?, WebhookTargetError.Code, String)])
    func refused(kind: String, url: String, secret: String?, code: WebhookTargetError.Code, field: String) {
        #expect(throws: WebhookTargetError(code)) { try WebhookTarget(kind: kind, url: url, secret: secret) }
        #expect(WebhookTargetError(code).field == field)
    }

    @Test("a bad target in stored JSON is refused with the same domain error")
    func refusedFromJSON() {
        #expect(throws: WebhookTargetError(.urlInvalid)) {
            try JSONDecoder().decode(WebhookTarget.self, from: Data(#"{"kind":"wecom","url":"not a url"}"#.utf8))
        }
    }

    @Test("a target describes itself without its token or secret, so logs do not leak them")
    func redactedDescription() {
        let target = WebhookTarget.dingtalk(url: F.dingtalkURL, secret: F.dingtalkSecret)
        #expect(String(describing: target) == "dingtalk(oapi.dingtalk.com)")
        #expect(!"\(target)".contains("access_token") && !"\(target)".contains(F.dingtalkSecret))
    }
}
