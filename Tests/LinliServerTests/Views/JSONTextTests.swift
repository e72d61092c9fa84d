import Foundation
import LinliCore
@testable import LinliServer
import Testing

@Suite("JSON written straight into bytes")
struct JSONTextTests {
    @Test("dates read as JSONEncoder's .iso8601 writes them, fractions of a second dropped")
    func dates() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [0, 1, 59.999, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 1_650_000_000.5, 4_102_444_800 /* 2100-01-01 */, 253_402_300_799]
        for seconds in fixed + (0..<2_000).map({ _ in Double.random(in: 0..<4_102_444_800, using: &generator) }) {
            let date = Date(timeIntervalSince1970: seconds)
            var bytes: [UInt8] = []
            JSONText.appendISO8601(date, to: &bytes)
            let expected = try #require(String(data: try encoder.encode([date]), encoding: .utf8)).dropFirst(2).dropLast(2)
            #expect(String(decoding: bytes, as: UTF8.self) == String(expected), "\(seconds)")
        }
    }

    @Test("strings keep every character: quotes, backslashes, line breaks, control characters, Chinese and emoji")
    func strings() throws {
        let texts = ["", "米", #"他说"送到了"\不对"#, "一行\n两行\r\n\t缩进", "\u{0}\u{1}\u{1F}\u{7F}", "🏠 3-201 张 ×2", "</script>"]
        for text in texts {
            var json = JSONText()
            json.field("text", text)
            json.field("number", Int64(-42))
            json.field("absent", Optional<String>.none)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.finished)) as? [String: Any])
            #expect(object["text"] as? String == text)
            #expect(object["number"] as? Int == -42)
            #expect(object.keys.sorted() == ["number", "text"], "an absent value is left out")
        }
    }

    @Test("arrays of objects")
    func arrays() throws {
        var json = JSONText()
        json.field("items", [1, 2, 3]) { value, object in object.field("n", value) }
        json.field("none", [Int]()) { value, object in object.field("n", value) }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.finished)) as? [String: Any])
        #expect((object["items"] as? [[String: Int]])?.map { $0["n"] } == [1, 2, 3])
        #expect((object["none"] as? [Any])?.isEmpty == true)
    }

    @Test("a household's orders, written by hand, read as JSONEncoder writes them, for orders of every shape")
    func householdOrders() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var generator = SystemRandomNumberGenerator()
        let problems: [String?] = [nil, "short", "refunded", "wrong_item", #"说"坏了"\n"#]
        for round in 0..<300 {
            let orders = (0..<Int.random(in: 0...4, using: &generator)).map { index in
                var order = GroupBuyOrder(id: GroupBuyOrderID(rawValue: Int64.random(in: 1...Int64.max, using: &generator)),
                                          buyID: GroupBuyID(rawValue: 7), itemID: GroupBuyItemID(rawValue: Int64(index + 1)),
                                          householdID: PlaceID(rawValue: Int64.random(in: 1...9_999_999, using: &generator)),
                                          quantity: Int.random(in: 0...999, using: &generator), source: GroupBuyOrderSource.allCases.randomElement(using: &generator)!,
                                          orderedAt: Date(timeIntervalSince1970: Double(Int.random(in: 0...4_102_444_800, using: &generator))),
                                          allocated: Bool.random(using: &generator) ? Int.random(in: 0...999, using: &generator) : nil,
                                          refundFen: Int.random(in: 0...10_000_000, using: &generator), problem: problems.randomElement(using: &generator)!,
                                          deliveredAt: Bool.random(using: &generator) ? Date(timeIntervalSince1970: 1_650_000_000) : nil,
                                          deliveryConfirmedBy: Bool.random(using: &generator) ? "household_code" : nil)
                order.problemRefundFen = Int.random(in: 0...10_000_000, using: &generator)
                return OrderView(order)
            }
            let view = HouseholdOrdersView(buyID: GroupBuyID(rawValue: Int64(round + 1)), orders: orders)
            let written = try JSONSerialization.jsonObject(with: Data(view.json.finished)) as? NSDictionary
            let encoded = try JSONSerialization.jsonObject(with: encoder.encode(view)) as? NSDictionary
            #expect(written != nil && written == encoded, "\(String(decoding: view.json.finished, as: UTF8.self))")
        }
    }
}

