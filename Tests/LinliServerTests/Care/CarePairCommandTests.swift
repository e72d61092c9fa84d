import Foundation
import Testing

@Suite("linli care pair, as a process")
struct CarePairCommandTests {
    @Test("reads the documented instance on stdin and prints the documented answer; bad input is refused in words")
    func documentedExample() throws {
        let linli = try LinliBinary()
        let instance = #"""
        {"buildings": [{"compound": "c1", "building": "3", "x": 10, "y": 20},
                       {"compound": "c1", "building": "5", "x": 40, "y": 60}],
         "people":  [{"id": "r1", "compound": "c1", "building": "3", "floor": 5, "needs": []}],
         "helpers": [{"id": "v1", "compound": "c1", "building": "3", "floor": 2, "skills": ["medical"], "capacity": 3},
                     {"id": "v2", "compound": "c1", "building": "5", "floor": 9, "skills": []}]}
        """#
        let solved = try linli.run(["care", "pair"], input: Data(instance.utf8))
        #expect(solved.status == 0)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(solved.output.utf8)) as? [String: Any])
        #expect(answer["primary"] as? [String: String] == ["r1": "v1"] && answer["backup"] as? [String: String] == ["r1": "v2"])
        #expect((answer["unpaired"] as? [String])?.isEmpty == true)
        #expect(answer["cost"] as? [String: Int] == ["primary": 3, "backup": 25])

        let missing = try linli.run(["care", "pair"], input: Data(#"{"people": [{"id": "a"}], "helpers": []}"#.utf8))
        #expect(missing.status != 0 && missing.errors.contains("people[0].compound is missing"))
        let outOfBounds = try linli.run(["care", "pair"], input: Data(#"{"people": [{"id": "a", "compound": "c", "building": "1", "floor": 99999}], "helpers": []}"#.utf8))
        #expect(outOfBounds.status != 0 && outOfBounds.errors.contains("floor must be within"))
    }
}
