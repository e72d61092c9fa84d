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

    static let stylesheet: String = files["linli.css"] ?? ""

    /// The stylesheet's address carries a digest of its bytes, so browsers may keep it for a year
    /// and still fetch the new one the moment it changes.
    static let stylesheetPath: String = {
        let digest = SHA256.hash(data: Data(stylesheet.utf8)).map { String(format: "%02x", $0) }.joined()
        return "/assets/linli.\(digest.prefix(12)).css"
    }()
}
