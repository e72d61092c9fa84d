import Foundation
import Testing

@Suite("linli group-buy allocate, as a process")
struct GroupBuyAllocateCommandTests {
    @Test("reads the documented arrival on stdin and prints the documented shares; bad input is refused in words")
    func documentedExample() throws {
        let linli = try LinliBinary()
        let input = #"""
        {"arrived": 7, "orders": [{"id": "o1", "quantity": 5, "ordered_at": "2022-04-12T09:30:00+08:00"},
        {"id": "o2", "quantity": 3, "ordered_at": "2022-04-12T09:31:00+08:00"}, {"id": "o3", "quantity": 2,
        "ordered_at": "2022-04-12T09:35:00+08:00"}]}
        """#
        let run = try linli.run(["group-buy", "allocate"], input: Data(input.utf8))
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output == #"{"allocations": {"o1": 4, "o2": 2, "o3": 1}}"# + "\n")

        let quoted = try linli.run(["group-buy", "allocate"], input: Data(#"{"arrived": 1, "orders": [{"id": "王\"3-201", "quantity": 2, "ordered_at": "2022-04-12T09:30:00.5+08:00"}]}"#.utf8))
        #expect(quoted.status == 0 && quoted.output == #"{"allocations": {"王\"3-201": 1}}"# + "\n", "\(quoted.output) \(quoted.errors)")

        let missing = try linli.run(["group-buy", "allocate"], input: Data(#"{"orders": []}"#.utf8))
        #expect(missing.status != 0 && missing.errors.contains("arrived is missing"))
        let badTime = try linli.run(["group-buy", "allocate"], input: Data(#"{"arrived": 1, "orders": [{"id": "a", "quantity": 1, "ordered_at": "yesterday"}]}"#.utf8))
        #expect(badTime.status != 0 && badTime.errors.contains("is not a time"))
        let twice = try linli.run(["group-buy", "allocate"], input: Data(#"{"arrived": 1, "orders": [{"id": "a", "quantity": 1, "ordered_at": "2022-04-12T09:30:00Z"}, {"id": "a", "quantity": 1, "ordered_at": "2022-04-12T09:30:00Z"}]}"#.utf8))
        #expect(twice.status != 0 && twice.errors.contains("appears twice"))
        let huge = try linli.run(["group-buy", "allocate"], input: Data(#"{"arrived": 99999999999999, "orders": []}"#.utf8))
        #expect(huge.status != 0 && huge.errors.contains("arrived must be between"))
    }
}
