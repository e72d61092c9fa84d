import LinliCore
import Testing

@Suite("Surveys: the floor of a room, and the rules of a campaign")
struct SurveyFloorTests {
    @Test("rooms of three to five digits give their floor; anything else has none", arguments: [
        ("502", 5), ("1502", 15), ("101", 1), ("3302", 33), ("10801", 108), (" 602 ", 6),
    ])
    func floors(room: String, floor: Int) {
        #expect(SurveyFloor.floor(ofRoom: room) == floor)
    }

    @Test("rooms that are not plain numbers go to the other group", arguments: ["3-201", "商铺A", "12", "", "099", "１０２", "502A", "123456"])
    func noFloor(room: String) {
        #expect(SurveyFloor.floor(ofRoom: room) == nil)
    }

    @Test("closing needs a reason while households are open; a tally counts what is open")
    func closing() throws {
        #expect(throws: SurveyRuleError.self) { try SurveyRules.checkClose(openHouseholds: 3, reason: nil) }
        #expect(throws: SurveyRuleError.self) { try SurveyRules.checkClose(openHouseholds: 3, reason: "") }
        try SurveyRules.checkClose(openHouseholds: 3, reason: "三户已转运")
        try SurveyRules.checkClose(openHouseholds: 0, reason: nil)
        let tally = SurveyTally(households: 7, done: 4, notYet: 2, nobodyHome: 1, followUps: 1)
        #expect(tally.open == 3 && tally.percent == 57)
        #expect(SurveyTally(households: 3, done: 2).percent == 66)
    }
}
