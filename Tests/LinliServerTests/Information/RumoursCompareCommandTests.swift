import Foundation
import Testing

@Suite("linli rumours compare, as a process")
struct RumoursCompareCommandTests {
    @Test("one line out per pair in, with a score and a decision; a line that is not a pair is answered with an error and a failing status")
    func comparesPairs() throws {
        let linli = try LinliBinary()
        let input = """
        {"a": "浦东新区明天起全域封控，所有超市关门，大家赶紧去囤菜！", "b": "【转发】浦东新区明天起全域封控，所有超市关门，大家赶紧去囤菜！"}
        {"a": "浦东新区明天起全域封控，所有超市关门，大家赶紧去囤菜！", "b": "浦东新区明天开始全域封控，所有超市都关门，大家快去囤菜"}
        {"a": "浦东新区明天起全域封控，所有超市关门，大家赶紧去囤菜！", "b": "浦东新区明天起超市正常开放，不用囤菜"}

        """
        let run = try linli.run(["rumours", "compare"], input: Data(input.utf8))
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == #"{"score": 1.000, "decision": "same"}"#)
        #expect(lines.dropFirst().first?.contains(#""decision": "suggest""#) == true)
        #expect(lines.last?.contains(#""decision": "different""#) == true)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let score = try #require(object["score"] as? Double)
            #expect((0...1).contains(score))
        }

        let bad = try linli.run(["rumours", "compare"], input: Data("{\"a\": \"x\"}\n{\"a\": \"好的\", \"b\": \"好的\"}\n".utf8))
        #expect(bad.status != 0)
        #expect(bad.output.split(separator: "\n").count == 2 && bad.output.hasPrefix(#"{"error""#) && bad.output.contains(#""decision": "same""#))
    }
}
