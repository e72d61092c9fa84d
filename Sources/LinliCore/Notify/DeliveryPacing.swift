import Foundation

/// How fast one target may be sent to. Group robots refuse bursts: WeCom and DingTalk take about
/// 20 messages a minute per robot, Feishu more. An escalation storm (a hundred deadlines missed
/// at once after an outage) must queue rather than burn its retries on refusals.
public struct DeliveryPacing: Sendable, Hashable {
    /// Messages per rolling minute, per target kind.
    public var perMinute: [WebhookTarget.Kind: Int]

    public init(perMinute: [WebhookTarget.Kind: Int]) {
        self.perMinute = perMinute
    }

    /// WeCom 20 and DingTalk 20 (their documented limits), Feishu 100, signed HTTP 120.
    public static let standard = DeliveryPacing(perMinute: [.wecom: 20, .dingtalk: 20, .feishu: 100, .http: 120])

    public static let window: TimeInterval = 60

    /// nil when a message may go to the target now; otherwise the earliest time it may, given
    /// when the target was last sent to (any order, older ones ignored).
    public func nextSlot(for kind: WebhookTarget.Kind, recentAttempts: [Date], now: Date) -> Date? {
        let limit = max(1, perMinute[kind] ?? 60)
        let windowStart = now.addingTimeInterval(-Self.window)
        let inWindow = recentAttempts.filter { $0 > windowStart && $0 <= now }.sorted()
        guard inWindow.count >= limit else { return nil }
        // The window frees a place when its oldest attempt that still counts leaves it.
        return inWindow[inWindow.count - limit].addingTimeInterval(Self.window)
    }
}
