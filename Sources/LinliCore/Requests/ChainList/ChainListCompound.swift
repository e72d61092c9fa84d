/// Compound names written on a chain-list line. Chains are forwarded from group to group, and a
/// line from 联洋花园 ("联洋花园3-502 张 2箱") must not be filed for room 3-502 of the compound
/// the chain was pasted for: such a line is shown for a person to decide.
public enum ChainListCompound {
    /// How estate names end ("锦园花苑", "金山新村", "东林华庭"). "小区" is left out: in chats it
    /// is mostly the generic word ("放小区门口"), not part of a name.
    static let suffixes: [[Character]] = ["花园", "新村", "一村", "二村", "三村", "四村", "公寓", "家园", "华庭", "大厦", "公馆", "苑"].map(Array.init)

    /// The estate names on a line: a compound suffix with the two to four Chinese characters
    /// before it ("联洋花园", "住锦泉佳苑" keeps the character before the name; callers compare
    /// by containment).
    public static func mentions(in line: String) -> [String] {
        let characters = Array(ChainListText.normalize(line))
        var found: [String] = []
        var index = 0
        while index < characters.count {
            guard let suffix = suffixes.first(where: { characters[index...].starts(with: $0) }) else {
                index += 1
                continue
            }
            var stemStart = index
            while stemStart > 0, index - stemStart < 4, ChainListText.isCJK(characters[stemStart - 1]) { stemStart -= 1 }
            if index - stemStart >= 2 {
                found.append(String(characters[stemStart..<(index + suffix.count)]))
            }
            index += suffix.count
        }
        return found
    }

    /// Whether `line` names an estate and none of the names it gives is `compound` (a phase such as
    /// "二期" aside). A line that names no estate is taken to mean the chain's own.
    public static func namesAnother(_ line: String, than compound: String) -> Bool {
        let mentions = mentions(in: line)
        guard !mentions.isEmpty else { return false }
        if ChainListText.normalize(line).contains(compound) { return false }
        return !mentions.contains { mention in
            compound.contains(mention) || mention.contains(compound) || mentionNamesBase(mention, of: compound)
        }
    }

    /// "住联洋花园" names "联洋花园二期" when the name without its phase sits inside the mention.
    private static func mentionNamesBase(_ mention: String, of compound: String) -> Bool {
        for phase in ["二期", "三期", "四期", "五期", "一期"] where compound.hasSuffix(phase) {
            return mention.contains(String(compound.dropLast(phase.count)))
        }
        return false
    }
}
