import ArgumentParser
import LinliCore

/// An ID on the command line is its number (`--place 12`).
extension ID: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
