import PropertyBased
@testable import LinliCore

/// Generators of register content for property tests: values as a committee would type them.
enum RegisterGen {
    static let surnames: [Character] = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
    static let givenNameCharacters: [Character] = Array("桂英建国秀兰伟丽志明淑珍海红卫芳德胜佳怡磊梅强晓燕文华")

    static let name = zip(
        Gen<Character?>.element(of: surnames).map { $0 ?? "王" },
        Gen<Character?>.element(of: givenNameCharacters).map { $0 ?? "英" }.string(of: 1...2)
    ).map { surname, given in String(surname) + given }

    /// Normalised labels, as `RegisterParser` stores them.
    static let building = Gen.oneOf(
        Gen.int(in: 1...40).map { String($0) }.eraseToAnySequence(),
        Gen<String?>.element(of: ["A座", "B座", "综合楼"]).map { $0 ?? "A座" }.eraseToAnySequence()
    )
    static let room = Gen.int(in: 1...30).map { floor in String(floor * 100 + 1) }

    static let phone = Gen.oneOf(
        Gen.number.string(of: 10).map { "1" + $0 }.eraseToAnySequence(),
        Gen.number.string(of: 7).map { "0216" + $0 }.eraseToAnySequence()
    )

    static let note = Gen<String?>.element(of: ["独居", "租户", "楼组长", "儿童，父母在外", "备注含逗号, 和\n换行", "\"引号\""]).map { $0 ?? "独居" }

    static let compound = Gen<String?>.element(of: ["长宁小区", "华阳新村"]).map { $0 ?? "长宁小区" }

    /// A valid, already normalised row.
    static func row(currentYear: Int) -> Generator<RegisterRow, some SendableSequenceType> {
        zip(
            zip(compound.optional, building, room, name, Gen<Gender?>.element(of: Gender.allCases).optional),
            zip(phone.optional, Gen.int(in: 1900...currentYear).optional, note.optional, note.optional, note.optional)
        ).map { identity, details in
            RegisterRow(
                compound: identity.0, building: identity.1, room: identity.2, name: identity.3, gender: identity.4 ?? nil,
                phone: details.0, birthYear: details.1, note: details.2, healthNote: details.3, disabilityNote: details.4,
                sourceRow: 0
            )
        }
    }

    /// Rows with distinct people, numbered as they would be below a header.
    static func register(currentYear: Int) -> Generator<[RegisterRow], some SendableSequenceType> {
        row(currentYear: currentYear).array(of: 0...25).map { rows in
            var seen: Set<PersonKey> = []
            return rows.filter { seen.insert($0.personKey).inserted }
                .enumerated()
                .map { index, row in
                    var numbered = row
                    numbered.sourceRow = index + 2
                    return numbered
                }
        }
    }

    /// A cell as it might be typed: valid, empty, blank, mistyped or absurd.
    static let anyCell = Gen<String?>.element(of: [
        "", " ", "　", "3号楼", "三号楼", "A座", "201室", "王秀兰", "张  三", "男", "女", "未知",
        "13812345678", "+86 138 1234 5678", "12345", "021-62345678", "1948", "1948-05-03", "1899", "3000", "明年",
        String(repeating: "长", count: 41), "=SUM(A1)", "独居",
    ]).map { $0 ?? "" }
}
