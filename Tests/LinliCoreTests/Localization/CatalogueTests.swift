import Foundation
import LinliCore
import Testing

@Suite("The string catalogue")
struct CatalogueTests {
    @Test("no key is defined twice across the capability sections")
    func uniqueKeys() {
        var seen: [String: Int] = [:]
        for section in Catalogue.sections { for key in section.keys { seen[key, default: 0] += 1 } }
        #expect(seen.filter { $0.value > 1 }.isEmpty)
    }

    @Test("every entry has Chinese and English text with the same placeholders")
    func bothLanguages() {
        let placeholder = /\{[a-z_]+\}/
        for (key, entry) in Catalogue.all {
            #expect(!entry.zhHans.isEmpty && !entry.en.isEmpty, "\(key)")
            let zh = Set(entry.zhHans.matches(of: placeholder).map { String($0.output) })
            let en = Set(entry.en.matches(of: placeholder).map { String($0.output) })
            #expect(zh == en, "\(key): \(zh) vs \(en)")
        }
    }

    @Test("every catalogue key the server and store use exists")
    func usedKeysExist() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Sources").standardized
        let pattern = /"((?:error|access|register|directory|field|nav|home|list|level|spreadsheet)\.[a-z_.]*[a-z_])"/
        // Strings shaped like keys that are not: the metrics' dimension names (OpenTelemetry's).
        let notKeys: Set = ["error.type"]
        var missing: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", !file.path.contains("/Localization/") else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) where Catalogue.all[String(match.1)] == nil && !notKeys.contains(String(match.1)) {
                missing.insert(String(match.1))
            }
        }
        #expect(missing.isEmpty, "keys used in code but missing from the catalogue: \(missing.sorted())")
    }

    @Test("Accept-Language picks Chinese by default and English when preferred")
    func negotiation() {
        #expect(Language.negotiate(acceptLanguage: nil) == .zhHans)
        #expect(Language.negotiate(acceptLanguage: "en-US,en;q=0.9") == .en)
        #expect(Language.negotiate(acceptLanguage: "fr-FR, en;q=0.5, zh-CN;q=0.8") == .zhHans)
        #expect(Language.negotiate(acceptLanguage: "de") == .zhHans)
        #expect(Language.negotiate(acceptLanguage: "en;q=0") == .zhHans)
        #expect(Catalogue.text("error.field.required", .en, ["field": "Phone"]) == "Phone is required")
        #expect(Catalogue.text("no.such.key", .en) == "no.such.key")
    }
}
