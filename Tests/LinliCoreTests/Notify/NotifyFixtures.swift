import Foundation
import LinliCore

enum NotifyFixtures {
    /// 2022-04-01 08:00 in Shanghai, the first day of Puxi's lockdown.
    static let morning = Date(timeIntervalSince1970: 1_648_771_200)

    static let escalated = NotificationMessage(
        kind: "request.escalated", subjectID: "42", title: "诉求已上报：3号楼 201 配药",
        text: "胰岛素只剩一天的量\n请尽快联系", link: "https://linli.example/requests/42", mentions: ["13800138000"]
    )

    static let wecomURL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    static let dingtalkURL = "https://oapi.dingtalk.com/robot/send?access_token=c2a7a1f0e1"
    static let dingtalkSecret = "SECf3b1c7e2a9d04c5e8b6a7d1e2f3a4b5c"
    static let feishuURL = "https://open.feishu.cn/open-apis/bot/v2/hook/8b1c1f2e-0000-4bd0-9d3a-5a1e2c3d4e5f"
    static let httpURL = "http://127.0.0.1:8099/linli"

    static func render(_ message: NotificationMessage = escalated, for target: WebhookTarget, at time: Date = morning) -> RenderedWebhook {
        WebhookPayload.render(message, for: target, timestamp: time, sign: KnownAnswerHMAC.sign)
    }

    static func bodyText(_ rendered: RenderedWebhook) -> String { String(decoding: rendered.body, as: UTF8.self) }

    static func headerLines(_ rendered: RenderedWebhook) -> [String] { rendered.headers.map { "\($0.0): \($0.1)" } }

    /// A valid target of each kind, for tables keyed by kind.
    static func target(_ kind: WebhookTarget.Kind) -> WebhookTarget {
        switch kind {
        case .wecom: .wecom(url: wecomURL)
        case .dingtalk: .dingtalk(url: dingtalkURL, secret: dingtalkSecret)
        case .feishu: .feishu(url: feishuURL, secret: "feishu-secret")
        case .http: .http(url: httpURL, secret: "linli-shared-secret")
        }
    }
}
