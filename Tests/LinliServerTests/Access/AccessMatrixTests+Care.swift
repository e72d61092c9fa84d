import Testing

extension AccessMatrixTests {
    /// The care routes: the register, surveys, pairing, plans and check-ins. Each part keeps its
    /// probes in its own file (AccessMatrixTests+Care<Part>.swift).
    static var careMatrix: [(route: String, probes: [Probe])] { careRegisterMatrix + careSurveyMatrix + carePairingMatrix }

    static let carePairingMatrix: [(route: String, probes: [Probe])] = []
}
