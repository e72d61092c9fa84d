import Crypto
import Foundation
import Logging
import Mustache

/// The page templates and the stylesheet, compiled into the binary from `Views/Assets` by the
/// EmbedPageAssets plugin (`files`), parsed once.
enum PageAssets {
    /// Every template, by its path under `Views/Assets/templates` without `.mustache`
    /// ("requests/detail"), so a template names its partials and its layout the same way.
    static let templates: MustacheLibrary = {
        var library = MustacheLibrary()
        for (path, text) in files where path.hasPrefix("templates/") && path.hasSuffix(".mustache") {
            let name = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
            do {
                try library.register(text, named: name)
            } catch {
                // A template that does not parse is a bug a test catches (`PageAssetsTests`); the
                // pages that use it answer 500 instead of the server stopping.
                Logger(label: "linli.pages").error("page template does not parse", metadata: ["template": "\(name)", "error": "\(error)"])
            }
        }
        return library
    }()

    /// The stylesheet without its comments and indentation: every page counts its bytes against a
    /// 30 KB budget on a slow phone network.
    static let stylesheet: String = compact(files["linli.css"] ?? "")

    /// Drops `/* comments */` and runs of white space (a run becomes one space, or nothing beside
    /// `{`, `}`, `;` and `,`). The stylesheet has no strings with doubled spaces, so none changes.
    static func compact(_ css: String) -> String {
        var output = ""
        output.reserveCapacity(css.utf8.count)
        var characters = Array(css)[...]
        var pendingSpace = false
        while let character = characters.first {
            if character == "/", characters.dropFirst().first == "*" {
                characters = characters.dropFirst(2)
                while !characters.isEmpty, !(characters.first == "*" && characters.dropFirst().first == "/") { characters = characters.dropFirst() }
                characters = characters.dropFirst(2)
                continue
            }
            characters = characters.dropFirst()
            if character.isWhitespace {
                pendingSpace = true
                continue
            }
            if pendingSpace, let last = output.last, !"{};,>".contains(last), !"{};,>".contains(character) { output.append(" ") }
            pendingSpace = false
            output.append(character)
        }
        return output
    }

    /// The stylesheet's address carries a digest of its bytes, so browsers may keep it for a year
    /// and still fetch the new one the moment it changes.
    static let stylesheetPath: String = {
        let digest = SHA256.hash(data: Data(stylesheet.utf8)).map { String(format: "%02x", $0) }.joined()
        return "/assets/linli.\(digest.prefix(12)).css"
    }()

    /// The script that queues `form[data-offline]` submissions without signal and replays them
    /// (`offline.js`), under a digest of its bytes like the stylesheet.
    /// Comment lines and indentation are dropped, as the stylesheet's are: bytes count on a slow network.
    static let offlineScript: String = (files["offline.js"] ?? "").split(separator: "\n")
        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("//") }.joined(separator: "\n")
    static let offlineScriptPath: String = {
        let digest = SHA256.hash(data: Data(offlineScript.utf8)).map { String(format: "%02x", $0) }.joined()
        return "/assets/offline.\(digest.prefix(12)).js"
    }()

    /// The service worker, served at `/sw.js` so that its scope is the whole site.
    static let serviceWorker: String = files["sw.js"] ?? ""
}
