/// Tells a person's name or surname ("张", "李阿姨", "王老师", "欧阳先生") from goods and
/// remarks. A heuristic on purpose: a chain line has no fields, and a wrong guess only moves
/// text between `name`, `items` and `note`, where a person sees it before anything is matched.
enum ChainListNames {
    static func isName(_ text: String) -> Bool {
        guard (1...7).contains(text.count), text.allSatisfy({ ChainListText.isCJK($0) || $0 == "/" }),
              text.first != "/", !ChainListLexicon.noteWords.contains(text), !ChainListLexicon.goodsWords.contains(text) else { return false }
        let core = withoutHonorifics(text)
        if core.count < text.count {
            // "李阿姨", "张先生/女士", "王建国老师": a form of address makes it a person.
            return (1...3).contains(core.count) && core.allSatisfy(ChainListText.isCJK) && startsLikeName(core)
        }
        guard !text.contains("/") else { return false }
        if let last = text.last, ChainListLexicon.goodsFinals.contains(last), text.count > 1 || !ChainListLexicon.surnames.contains(last) {
            return false
        }
        switch text.count {
        case 1: return ChainListLexicon.surnames.contains(text[text.startIndex])
        case 2, 3: return startsLikeName(text)
        default: return ChainListLexicon.compoundSurnames.contains { text.hasPrefix($0) }
        }
    }

    /// A person glued to goods or a quantity: "张" of "张2盒" (returns rest nil) or "李阿姨" of
    /// "李阿姨鸡蛋" (returns "鸡蛋").
    static func splitPerson(_ goods: String) -> (String, String?)? {
        if goods.count <= 3, isName(goods) { return (goods, nil) }
        for honorific in ChainListLexicon.honorifics where honorific.count >= 2 {
            guard let range = goods.range(of: honorific) else { continue }
            let person = String(goods[..<range.upperBound])
            let rest = String(goods[range.upperBound...])
            if !rest.isEmpty, isName(person) { return (person, rest) }
        }
        return nil
    }

    private static func startsLikeName(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        if ChainListLexicon.compoundSurnames.contains(where: { text.hasPrefix($0) }) { return true }
        if ChainListLexicon.surnames.contains(first) { return true }
        // "小王", "老李".
        return text.count == 2 && ChainListLexicon.familiarPrefixes.contains(first) && text.last.map(ChainListLexicon.surnames.contains) == true
    }

    /// "张先生/女士" → "张"; "王老师" → "王".
    private static func withoutHonorifics(_ text: String) -> String {
        var core = Substring(text)
        var changed = true
        while changed {
            changed = false
            if core.hasSuffix("/") {
                core = core.dropLast()
                changed = true
            }
            for honorific in ChainListLexicon.honorifics where core.hasSuffix(honorific) && core.count > honorific.count {
                core = core.dropLast(honorific.count)
                changed = true
                break
            }
        }
        return String(core)
    }
}
