import Foundation

/// The skills pairing matches on, read from the words volunteers wrote when they reported
/// ("医护", "会手语", "驾驶"). The register names a person's needs in the solver's words
/// (`medical`, `sign_language`, `dialect`, `driver`); volunteers' skills are free text, so each
/// known word is mapped to one of those, and a skill already in the solver's words passes.
public enum HelperSkills {
    /// Words as volunteers write them, to the skill a person may need. A word counts when the
    /// skill text contains it, so "会手语" and "手语翻译" are both sign language.
    public static let words: [(word: String, skill: String)] = [
        ("医护", "medical"), ("医生", "medical"), ("护士", "medical"), ("护理", "medical"),
        ("手语", "sign_language"),
        ("方言", "dialect"), ("沪语", "dialect"), ("上海话", "dialect"),
        ("驾驶", "driver"), ("司机", "driver"), ("开车", "driver"),
    ]

    /// The solver's skill names, which pass through as they are.
    public static let known: Set<String> = Set(words.map(\.skill))

    /// The pairing skills in a volunteer's skill texts, sorted, each once. Words that name no
    /// skill a person can need ("搬运", "电脑") are dropped.
    public static func skills(from texts: [String]) -> [String] {
        var found = Set<String>()
        for text in texts {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if known.contains(trimmed.lowercased()) {
                found.insert(trimmed.lowercased())
                continue
            }
            for (word, skill) in words where trimmed.contains(word) {
                found.insert(skill)
            }
        }
        return found.sorted()
    }
}

/// Where in a building a household is, for the distance between a person and a helper.
public enum RoomFloor {
    /// The floor a room number names, as a survey walks it (`SurveyFloor`): 502 → 5, 1502 → 15.
    /// A room with no floor in its number (a shop "A-3", "底商") counts as the ground floor, 1;
    /// the result stays within the floors a pairing instance accepts.
    public static func floor(ofRoom room: String) -> Int {
        min(max(SurveyFloor.floor(ofRoom: room) ?? 1, 1), PairingInstance.floors.upperBound)
    }
}
