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
    /// The floor a room number names: 502 → 5, 1502 → 15. A room that is not all digits (a shop
    /// "A-3", "底商"), or has fewer than three, counts as the ground floor, 1; the result stays
    /// within the floors a pairing instance accepts.
    public static func floor(ofRoom room: String) -> Int {
        let digits = room.trimmingCharacters(in: .whitespaces)
        guard digits.count >= 3, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let floor = Int(digits.dropLast(2)) else { return 1 }
        return min(max(floor, 1), PairingInstance.floors.upperBound)
    }
}
