import ArgumentParser
import Foundation
import LinliCore
import LinliStore

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a household register (XLSX or CSV with headers 楼号, 室号, 姓名, 电话, 出生年份, 备注 ...) into a place.",
        discussion: "All or nothing by default: a file with a bad row imports nothing and names the row. Importing the same file again changes nothing."
    )

    @Argument(help: "The .xlsx or .csv file.") var file: String
    @Option(help: "Id of the compound (or committee, with a 小区 column) to import into.") var place: PlaceID
    @Flag(help: "Apply the good rows and write the bad ones to a rejects file.") var partial = false
    @Option(help: "Where --partial writes rejected rows (default: FILE.rejected.csv).") var rejects: String?
    @Option(help: "Language of messages: zh-Hans or en.") var language: String = "zh-Hans"
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let language = Language(tag: self.language) ?? .zhHans
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
        let rows: [[String]]
        do {
            rows = try Spreadsheet.decode(data, fileName: file)
        } catch {
            throw CLIError("\(file): \(Catalogue.text(error.catalogueKey, language))")
        }
        report("import: read \(max(0, rows.count - 1)) rows from \(file)")
        let result: RegisterImportReport
        do {
            let year = Calendar(identifier: .gregorian).component(.year, from: Date())
            result = try await database.withStore { store in
                try await RegisterImporter(store: store).run(rows: rows, into: place, partial: partial, actor: CommandActor.name, currentYear: year, now: Date()) { stage in
                    switch stage {
                    case .parsed(let count): report("import: \(count) rows checked")
                    case .applying(let done, let total): report("import: applied \(done) / \(total) changes")
                    }
                }
            }
        } catch let error as RegisterImportError {
            throw CLIError(Catalogue.text(error.catalogueKey, language, error.catalogueArguments))
        } catch StoreError.notFound {
            throw CLIError("no place with id \(place)")
        }
        for issue in result.issues { report(issue.message(in: language)) }
        if result.rejected {
            throw CLIError("nothing imported: \(Set(result.issues.map(\.row)).count) rows have problems (use --partial to import the good rows)")
        }
        if partial, !result.issues.isEmpty {
            let target = rejects ?? file + ".rejected.csv"
            let rejected = RegisterImporter.rejectedRows(rows, issues: result.issues, language: language)
            do {
                try Spreadsheet.encode(rejected, format: .csv).write(to: URL(fileURLWithPath: target))
            } catch {
                throw CLIError("cannot write \(target): \(error)")
            }
            report("import: \(rejected.count - 1) rejected rows written to \(target)")
        }
        print("imported \(file): \(result.householdsCreated) households created, \(result.residentsCreated) residents created, \(result.residentsUpdated) updated, \(result.unchanged) unchanged, \(result.notInFile) not in the file (kept)")
    }
}
