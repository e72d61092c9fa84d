import Crypto
import Foundation
import LinliCore
import LinliStore

/// Delivers the outbox: each notification is a job that renders the platform's format, signs it,
/// posts it, and by the platform's answer marks it delivered, schedules a retry, or keeps it as
/// a dead letter for the admins.
struct NotifyService: Sendable {
    let services: AppServices
    let policy = DeliveryPolicy()
    var pacing: DeliveryPacing { services.deliveryPacing }

    /// HMAC-SHA256 for the renderers, which are pure and take the signer as a function.
    static func hmac(key: Data, message: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    var deliveryHandler: JobHandler {
        let services = self.services
        let (policy, pacing) = (self.policy, self.pacing)
        return JobHandler(kind: NotifyRecords.deliverJobKind) { job in
            guard let id = NotificationID(job.payload) else {
                // A payload this job never writes: nothing to deliver, and nothing to retry.
                services.logger.error("a delivery job names no notification", metadata: ["job": "\(job.id)", "payload": "\(job.payload)"])
                return
            }
            let started = services.now()
            let loaded = try await services.store.read { db -> (StoredNotification, StoredTarget, Date?)? in
                guard let notification = try await NotifyRecords.notification(id: id, on: db), notification.status == "pending",
                      let target = try await NotifyRecords.target(id: notification.targetID, on: db) else { return nil }
                let recent = try await NotifyRecords.attemptTimes(targetID: target.id, since: started.addingTimeInterval(-DeliveryPacing.window), on: db)
                return (notification, target, pacing.nextSlot(for: target.target.kind, recentAttempts: recent, now: started))
            }
            // Delivered or dead already (a job run twice), or its target removed: nothing to send.
            guard let (notification, target, slot) = loaded else { return }
            if let slot {
                // The target has had its share this minute: wait for the next free slot, which
                // costs no attempt.
                try await services.store.write { db -> Void in
                    try await JobRecords.enqueue(kind: NotifyRecords.deliverJobKind, payload: "\(id)", runAt: slot, dedupeKey: "notify:\(id):\(notification.attempts + 1):paced:\(slot.millisecondsSince1970)", at: started, on: db)
                }
                return
            }
            // Rendered anew on every attempt: DingTalk and Feishu refuse old signatures.
            let rendered = WebhookPayload.render(notification.message, for: target.target, timestamp: services.now(), sign: Self.hmac(key:message:))
            let outcome: DeliveryOutcome
            do throws(WebhookConnection.Refusal) {
                let pins = try await WebhookConnection.pins(for: rendered.url, policy: services.webhookNetworks)
                outcome = await WebhookConnection.post(rendered, to: target.target, pins: pins)
            } catch {
                outcome = error.outcome
            }
            let attempt = notification.attempts + 1
            let now = services.now()
            try await services.store.write { db in
                switch policy.decide(outcome, attempt: attempt, at: now) {
                case .delivered:
                    try await NotifyRecords.record(id, status: "delivered", attempts: attempt, error: nil, deliveredAt: now, attemptedAt: now, on: db)
                case .retry(let at, let failure):
                    // Another node recorded this attempt first (this one's lease ran out): its
                    // outcome stands, and no retry is scheduled from here.
                    guard try await NotifyRecords.record(id, status: "pending", attempts: attempt, error: failure.detail, deliveredAt: nil, attemptedAt: now, on: db) else { return }
                    try await JobRecords.enqueue(kind: NotifyRecords.deliverJobKind, payload: "\(id)", runAt: at, dedupeKey: "notify:\(id):\(attempt + 1)", at: now, on: db)
                case .deadLetter(let failure, _):
                    try await NotifyRecords.record(id, status: "dead", attempts: attempt, error: failure.detail, deliveredAt: nil, attemptedAt: now, on: db)
                }
            }
        }
    }
}
