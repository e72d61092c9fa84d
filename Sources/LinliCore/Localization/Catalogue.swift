import Foundation

/// The languages the user interface speaks. Simplified Chinese is the default (the users are
/// Shanghai's committees and volunteers); English is on request.
public enum Language: String, Sendable, CaseIterable, Codable {
    case zhHans = "zh-Hans"
    case en

    public static let `default` = Language.zhHans

    /// Picks the best locale from an Accept-Language header value ("en-US,en;q=0.9,zh;q=0.8").
    public static func negotiate(acceptLanguage: String?) -> Language {
        guard let header = acceptLanguage else { return .default }
        let ranked = header.split(separator: ",").compactMap { part -> (tag: String, q: Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty else { return nil }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            return (tag.lowercased(), quality)
        }.sorted { $0.q > $1.q }
        for candidate in ranked where candidate.q > 0 {
            if candidate.tag.hasPrefix("zh") { return .zhHans }
            if candidate.tag.hasPrefix("en") { return .en }
        }
        return .default
    }

    public init?(tag: String) {
        let lowered = tag.lowercased()
        if lowered.hasPrefix("zh") { self = .zhHans } else if lowered.hasPrefix("en") { self = .en } else { return nil }
    }
}

/// One user-facing text in both languages. `{name}` placeholders are filled by `Catalogue.text`.
public struct CatalogueEntry: Sendable {
    public let zhHans: String
    public let en: String

    public init(_ zhHans: String, _ en: String) {
        self.zhHans = zhHans
        self.en = en
    }

    public func text(in language: Language) -> String {
        switch language {
        case .zhHans: zhHans
        case .en: en
        }
    }
}

/// Every user-facing string of Linli. Each capability contributes a dictionary in its own file
/// (`Catalogue+Directory.swift`, ...); `all` merges them and a test checks keys never collide.
public enum Catalogue {
    public static let sections: [[String: CatalogueEntry]] = [
        common, access, directory, register, registerPages, spreadsheet, demo, requests, requestPages, chainList, notify, pages,
        careRegister, careSurveys, carePairing, medicinePages, medicineCards, medicineRequests, groupBuy, supplies, answers,
        rumours, briefings,
    ]

    public static let all: [String: CatalogueEntry] = sections.reduce(into: [:]) { merged, section in
        merged.merge(section) { first, _ in first }
    }

    /// The text for `key` in `locale`, with `{placeholder}`s replaced. An unknown key returns the
    /// key itself, so a missing entry is visible rather than blank; a test guards against that.
    public static func text(_ key: String, _ language: Language, _ arguments: [String: String] = [:]) -> String {
        var text = all[key]?.text(in: language) ?? key
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }
}
