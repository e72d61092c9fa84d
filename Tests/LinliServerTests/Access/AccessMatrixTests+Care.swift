import Testing

extension AccessMatrixTests {
    /// The care routes: the register, surveys, pairing, plans and check-ins. Each part keeps its
    /// probes in its own list.
    static var careMatrix: [(route: String, probes: [Probe])] { careRegisterMatrix + careSurveyMatrix + carePairingMatrix }

    static let careRegisterMatrix: [(route: String, probes: [Probe])] = []
    static let careSurveyMatrix: [(route: String, probes: [Probe])] = []
    static let carePairingMatrix: [(route: String, probes: [Probe])] = []
}
