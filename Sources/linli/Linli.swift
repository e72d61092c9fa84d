import ArgumentParser

@main
struct Linli: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linli",
        abstract: "Linli (邻里): run a city's neighbourhoods through an emergency.",
        subcommands: [Serve.self, Migrate.self, UserCommand.self, PlaceCommand.self, Import.self, Export.self, Demo.self, Doctor.self, Backup.self, Restore.self, ChainListCommand.self, CareCommand.self, GroupBuyCommand.self, RumoursCommand.self, BriefingsCommand.self, VerifyCommand.self]
    )
}
