import Foundation
import LinliCore
import Testing

@Suite("Care: skill words, floors from rooms, plan schedules, the check-in ladder")
struct CareHelpersTests {
    @Test("volunteers' skill words map to the skills people need; other words are dropped")
    func skillWords() {
        #expect(HelperSkills.skills(from: ["医护"]) == ["medical"])
        #expect(HelperSkills.skills(from: ["会手语", "驾驶"]) == ["driver", "sign_language"])
        #expect(HelperSkills.skills(from: ["沪语方言"]) == ["dialect"])
        #expect(HelperSkills.skills(from: ["上海话"]) == ["dialect"])
        #expect(HelperSkills.skills(from: ["司机", "开车"]) == ["driver"])
        #expect(HelperSkills.skills(from: ["护士"]) == ["medical"])
        #expect(HelperSkills.skills(from: ["搬运", "电脑", "心理疏导"]) == [])
        #expect(HelperSkills.skills(from: ["送医"]) == [], "taking someone to hospital is not a medical skill")
        #expect(HelperSkills.skills(from: ["medical", " Driver "]) == ["driver", "medical"], "the solver's own words pass")
        #expect(HelperSkills.skills(from: []) == [])
        // Every word maps to a skill the solver and the register know.
        #expect(Set(HelperSkills.words.map(\.skill)) == ["medical", "sign_language", "dialect", "driver"])
    }

    @Test("a room number names its floor; anything else is the ground floor")
    func floorFromRoom() {
        #expect(RoomFloor.floor(ofRoom: "502") == 5)
        #expect(RoomFloor.floor(ofRoom: "1502") == 15)
        #expect(RoomFloor.floor(ofRoom: "101") == 1)
        #expect(RoomFloor.floor(ofRoom: "0302") == 3)
        #expect(RoomFloor.floor(ofRoom: " 2201 ") == 22)
        #expect(RoomFloor.floor(ofRoom: "12") == 1)
        #expect(RoomFloor.floor(ofRoom: "A-3") == 1)
        #expect(RoomFloor.floor(ofRoom: "底商") == 1)
        #expect(RoomFloor.floor(ofRoom: "") == 1)
        #expect(RoomFloor.floor(ofRoom: "０５０２") == 1, "full-width digits are not read as a number")
        #expect(RoomFloor.floor(ofRoom: "99999999999999999999") == 1, "no overflow")
        #expect(RoomFloor.floor(ofRoom: "999901") == 1, "six digits name no floor, as on the survey walk")
        #expect(RoomFloor.floor(ofRoom: "20101") == PairingInstance.floors.upperBound, "floor 201 is kept within the floors an instance accepts")
        #expect(RoomFloor.floor(ofRoom: "0001") == 1)
    }

    /// 2022-04-11 was a Monday; midnight in Shanghai is 16:00 UTC the day before.
    static let mondayMidnight = Date(timeIntervalSince1970: 1_649_606_400)

    @Test("plan items fall due on Shanghai's clock, on their weekdays or their one day")
    func schedule() {
        #expect(CareSchedule.weekday(ofLocalDay: CareSchedule.localDay(Self.mondayMidnight)) == 1)
        #expect(CareSchedule.dayText(CareSchedule.localDay(Self.mondayMidnight)) == "2022-04-11")
        #expect(CareSchedule.localDay(Self.mondayMidnight.addingTimeInterval(-1)) == CareSchedule.localDay(Self.mondayMidnight) - 1)
        let path = PlacePath(rawValue: "1/2")
        let daily = CarePlanItem(id: 1, entryID: 1, kind: .meal, dueMinute: 11 * 60 + 30, path: path)
        let week = Self.mondayMidnight.addingTimeInterval(7 * 24 * 3600)
        let meals = CareSchedule.dueTimes(of: daily, from: Self.mondayMidnight, to: week)
        #expect(meals.count == 7)
        #expect(meals.first == Self.mondayMidnight.addingTimeInterval(11.5 * 3600), "11:30 in Shanghai is 03:30 UTC")
        let dialysis = CarePlanItem(id: 2, entryID: 1, kind: .dialysisRide, weekdays: [1, 3, 5], dueMinute: 7 * 60, path: path)
        let rides = CareSchedule.dueTimes(of: dialysis, from: Self.mondayMidnight, to: week)
        #expect(rides.map { CareSchedule.weekday(ofLocalDay: CareSchedule.localDay($0)) } == [1, 3, 5])
        let refill = CarePlanItem(id: 3, entryID: 1, kind: .medicineRefill, dueMinute: 14 * 60, onDay: "2022-04-15", path: path)
        #expect(CareSchedule.dueTimes(of: refill, from: Self.mondayMidnight, to: week) == [Self.mondayMidnight.addingTimeInterval(4 * 24 * 3600 + 14 * 3600)])
        var inactive = daily
        inactive.active = false
        #expect(CareSchedule.dueTimes(of: inactive, from: Self.mondayMidnight, to: week).isEmpty)
        // The window is half-open: a run that starts at 11:30 makes that day's meal, the next run does not make it again.
        #expect(CareSchedule.dueTimes(of: daily, from: meals[0], to: meals[0].addingTimeInterval(60)) == [meals[0]])
        #expect(CareSchedule.dueTimes(of: daily, from: meals[0].addingTimeInterval(1), to: meals[1]).isEmpty)
    }

    @Test("clock times and days are read strictly")
    func parsing() {
        #expect(CareSchedule.minute(ofClock: "07:30") == 450)
        #expect(CareSchedule.minute(ofClock: "7:05") == 425)
        #expect(CareSchedule.minute(ofClock: "24:00") == nil)
        #expect(CareSchedule.minute(ofClock: "12:60") == nil)
        #expect(CareSchedule.minute(ofClock: "0730") == nil)
        #expect(CareSchedule.minute(ofClock: "-1:30") == nil)
        #expect(CareSchedule.clock(450) == "07:30")
        #expect(CareSchedule.clock(1440) == nil)
        #expect(CareSchedule.isDayText("2022-04-15"))
        #expect(!CareSchedule.isDayText("2022-04-31"))
        #expect(!CareSchedule.isDayText("2022-4-15"))
        #expect(!CareSchedule.isDayText("15/04/2022"))
    }

    @Test("an open check-in alerts the primary at the due time, the backup after 30 minutes, the compound after 2 hours, each once")
    func ladder() {
        let due = Self.mondayMidnight.addingTimeInterval(9 * 3600)
        #expect(CareCheckInEscalation.step(dueAt: due, level: 0, done: false, now: due.addingTimeInterval(-1)) == nil)
        #expect(CareCheckInEscalation.step(dueAt: due, level: 0, done: false, now: due)?.audience == .primary)
        #expect(CareCheckInEscalation.step(dueAt: due, level: 1, done: false, now: due.addingTimeInterval(29 * 60)) == nil)
        #expect(CareCheckInEscalation.step(dueAt: due, level: 1, done: false, now: due.addingTimeInterval(30 * 60))?.audience == .backup)
        #expect(CareCheckInEscalation.step(dueAt: due, level: 2, done: false, now: due.addingTimeInterval(2 * 3600))?.audience == .compound)
        #expect(CareCheckInEscalation.step(dueAt: due, level: 3, done: false, now: due.addingTimeInterval(10 * 3600)) == nil, "nothing after the top")
        #expect(CareCheckInEscalation.step(dueAt: due, level: 0, done: true, now: due.addingTimeInterval(3600)) == nil, "done stops it")
        #expect(CareCheckInEscalation.nextStep(dueAt: due, level: 1)?.at == due.addingTimeInterval(30 * 60))
        #expect(CareCheckInEscalation.step(dueAt: due, level: -1, done: false, now: due) == nil)
    }

    @Test("days since last contact: one rule for every page, red from the threshold or never, a clock a little ahead is not negative")
    func contact() {
        let now = Self.mondayMidnight
        let days = Double(CareRegister.contactOverdueDays)
        #expect(CareRegister.daysSinceContact(nil, now: now) == nil)
        #expect(CareRegister.isContactOverdue(nil, now: now))
        #expect(CareRegister.daysSinceContact(now.addingTimeInterval(-2.5 * 24 * 3600), now: now) == 2)
        #expect(!CareRegister.isContactOverdue(now.addingTimeInterval(-(days - 0.1) * 24 * 3600), now: now))
        #expect(CareRegister.isContactOverdue(now.addingTimeInterval(-days * 24 * 3600), now: now))
        #expect(CareRegister.daysSinceContact(now.addingTimeInterval(3600), now: now) == 0, "a clock a little ahead is not negative")
    }
}
