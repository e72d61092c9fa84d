import Foundation
import Testing
@testable import LinliCore

@Suite("What a delivery attempt came to")
struct DeliveryOutcomeTests {
    typealias F = NotifyFixtures

    /// "delivered", "retry throttled", "dead rejected": one readable word pair per table row.
    static func verdict(_ outcome: DeliveryOutcome) -> String {
        switch outcome {
        case .delivered: "delivered"
        case .retry(let failure): "retry \(failure.reason.rawValue)"
        case .deadLetter(let failure): "dead \(failure.reason.rawValue)"
        }
    }

    @Test("group robots answer 200 with the verdict in the body, in each platform's documented shape",
          arguments: [
              // WeCom: {"errcode", "errmsg"}
              (WebhookTarget.Kind.wecom, 200, #"{"errcode":0,"errmsg":"ok"}"#, "delivered"),
              (.wecom, 200, #"{"errcode":45009,"errmsg":"api freq out of limit"}"#, "retry throttled"),
              (.wecom, 200, #"{"errcode":-1,"errmsg":"system busy"}"#, "retry receiver_unavailable"),
              (.wecom, 200, #"{"errcode":93000,"errmsg":"invalid webhook url, hint: [1648771200_1], from ip: 1.2.3.4"}"#, "dead rejected"),
              (.wecom, 200, #"{"errcode":40058,"errmsg":"invalid Request Parameter"}"#, "dead rejected"),
              // DingTalk: {"errcode", "errmsg"}
              (.dingtalk, 200, #"{"errcode":0,"errmsg":"ok"}"#, "delivered"),
              (.dingtalk, 200, #"{"errcode":310000,"errmsg":"sign not match"}"#, "dead rejected"),
              (.dingtalk, 200, #"{"errcode":310000,"errmsg":"keywords not in content"}"#, "dead rejected"),
              (.dingtalk, 200, #"{"errcode":300001,"errmsg":"token is not exist"}"#, "dead rejected"),
              (.dingtalk, 200, #"{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}"#, "retry throttled"),
              (.dingtalk, 200, #"{"errcode":410100,"errmsg":"发送速度太快而限流"}"#, "retry throttled"),
              (.dingtalk, 200, #"{"errcode":-1,"errmsg":"系统繁忙"}"#, "retry receiver_unavailable"),
              // Feishu: {"code", "msg"}, and the legacy {"StatusCode", "StatusMessage"}
              (.feishu, 200, #"{"code":0,"data":{},"msg":"success"}"#, "delivered"),
              (.feishu, 200, #"{"Extra":null,"StatusCode":0,"StatusMessage":"success"}"#, "delivered"),
              (.feishu, 200, #"{"code":11232,"msg":"frequency limited psm[lark.oapi.app_platform_runtime]appID[1231]"}"#, "retry throttled"),
              (.feishu, 200, #"{"code":9499,"msg":"too many request","data":{}}"#, "retry throttled"),
              (.feishu, 400, #"{"code":9499,"msg":"Bad Request","data":{}}"#, "dead rejected"),
              (.feishu, 200, #"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#, "dead rejected"),
              (.feishu, 200, #"{"code":19024,"msg":"Key Words Not Found"}"#, "dead rejected"),
              (.feishu, 200, #"{"code":19001,"msg":"param invalid: incoming webhook access token invalid"}"#, "dead rejected"),
          ])
    func robotReplies(kind: WebhookTarget.Kind, status: Int, body: String, expected: String) {
        #expect(Self.verdict(DeliveryOutcome.classify(target: F.target(kind), status: status, body: Data(body.utf8))) == expected)
    }

    @Test("the status decides what a body cannot: 429, 408 and 5xx retry, other 4xx are final, and a robot's 2xx needs its JSON",
          arguments: [
              (WebhookTarget.Kind.feishu, 429, "", "retry throttled"),
              (.dingtalk, 502, "<html>Bad Gateway</html>", "retry receiver_unavailable"),
              (.wecom, 503, #"{"errcode":0,"errmsg":"ok"}"#, "retry receiver_unavailable"),
              (.wecom, 408, "", "retry receiver_unavailable"),
              (.wecom, 404, "<html>Not Found</html>", "dead rejected"),
              (.dingtalk, 200, "<html>captive portal</html>", "dead unexpected_reply"),
              (.feishu, 200, "{}", "dead unexpected_reply"),
              (.wecom, 302, "", "dead unexpected_reply"),
              // A plain receiver is judged by its status alone.
              (.http, 204, "", "delivered"),
              (.http, 200, "<html>thanks</html>", "delivered"),
              (.http, 200, #"{"errcode":310000}"#, "delivered"),
              (.http, 401, "bad signature", "dead rejected"),
              (.http, 410, "", "dead rejected"),
              (.http, 408, "", "retry receiver_unavailable"),
              (.http, 429, "", "retry throttled"),
              (.http, 500, "", "retry receiver_unavailable"),
              (.http, 301, "", "dead unexpected_reply"),
          ])
    func statuses(kind: WebhookTarget.Kind, status: Int, body: String, expected: String) {
        #expect(Self.verdict(DeliveryOutcome.classify(target: F.target(kind), status: status, body: Data(body.utf8))) == expected)
    }

    @Test("no answer at all is worth another try")
    func noResponse() {
        #expect(DeliveryOutcome.noResponse("connection refused") == .retry(DeliveryFailure(.noResponse, detail: "connection refused")))
    }

    @Test("the admin sees the platform's own code and words")
    func failureDetail() {
        let body = Data(#"{"errcode":310000,"errmsg":"sign not match"}"#.utf8)
        let outcome = DeliveryOutcome.classify(target: F.target(.dingtalk), status: 200, body: body)
        #expect(outcome == .deadLetter(DeliveryFailure(.rejected, detail: "HTTP 200, errcode 310000: sign not match")))
    }

    @Test("Feishu's verdict is reported under the key it came in")
    func feishuDetail() {
        let outcome = DeliveryOutcome.classify(target: F.target(.feishu), status: 200, body: Data(#"{"StatusCode":19024,"StatusMessage":"Key Words Not Found"}"#.utf8))
        #expect(outcome == .deadLetter(DeliveryFailure(.rejected, detail: "HTTP 200, StatusCode 19024: Key Words Not Found")))
    }

    @Test("a platform's long message is cut so the outbox row stays readable")
    func longMessage() throws {
        let body = Data(#"{"errcode":93000,"errmsg":"\#(String(repeating: "x", count: 5000))"}"#.utf8)
        guard case .deadLetter(let failure) = DeliveryOutcome.classify(target: F.target(.wecom), status: 200, body: body) else {
            Issue.record("expected a dead letter")
            return
        }
        #expect(failure.detail == "HTTP 200, errcode 93000: " + String(repeating: "x", count: 200))
    }
}
