import Foundation
import LinliCore
import Testing

@Suite("Pacing deliveries to what each platform accepts")
struct DeliveryPacingTests {
    let now = Date(timeIntervalSince1970: 1_650_000_000)

    @Test("under the limit a message goes now; at the limit it waits until the oldest attempt leaves the minute")
    func slots() {
        let pacing = DeliveryPacing(perMinute: [.wecom: 3])
        let times = [now.addingTimeInterval(-50), now.addingTimeInterval(-20), now.addingTimeInterval(-5)]
        #expect(pacing.nextSlot(for: .wecom, recentAttempts: Array(times.prefix(2)), now: now) == nil)
        #expect(pacing.nextSlot(for: .wecom, recentAttempts: times.reversed(), now: now) == now.addingTimeInterval(10))
        // Attempts older than a minute no longer count.
        #expect(pacing.nextSlot(for: .wecom, recentAttempts: times + [now.addingTimeInterval(-61)], now: now) == now.addingTimeInterval(10))
        #expect(pacing.nextSlot(for: .wecom, recentAttempts: [now.addingTimeInterval(-61), now.addingTimeInterval(-70), now.addingTimeInterval(-80)], now: now) == nil)
    }

    @Test("the standard pace keeps WeCom and DingTalk robots at 20 a minute")
    func standard() {
        let twenty = (0..<20).map { now.addingTimeInterval(-Double($0)) }
        #expect(DeliveryPacing.standard.nextSlot(for: .dingtalk, recentAttempts: twenty, now: now) != nil)
        #expect(DeliveryPacing.standard.nextSlot(for: .wecom, recentAttempts: Array(twenty.dropLast()), now: now) == nil)
        #expect(DeliveryPacing.standard.nextSlot(for: .feishu, recentAttempts: twenty, now: now) == nil)
    }

    @Test("whatever the attempts, a slot is never in the past and never more than a minute away", arguments: 0..<50)
    func bounds(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed + 1))
        let attempts = (0..<Int.random(in: 0...40, using: &generator)).map { _ in now.addingTimeInterval(-Double.random(in: 0...120, using: &generator)) }
        let limit = Int.random(in: 1...10, using: &generator)
        let slot = DeliveryPacing(perMinute: [.http: limit]).nextSlot(for: .http, recentAttempts: attempts, now: now)
        let inWindow = attempts.filter { $0 > now.addingTimeInterval(-60) }.count
        #expect((slot == nil) == (inWindow < limit))
        if let slot { #expect(slot >= now && slot <= now.addingTimeInterval(60)) }
    }
}

/// SplitMix64: the same attempts for the same seed on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
