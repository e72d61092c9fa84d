/// The demo generator's own pseudo-random numbers: xoshiro256** seeded through SplitMix64.
/// Foundation's and the system's generators differ between platforms and runs; the demo must
/// produce byte-identical data for the same seed everywhere, so it carries its own.
struct DemoRandom {
    private var state0: UInt64
    private var state1: UInt64
    private var state2: UInt64
    private var state3: UInt64

    /// An independent stream per (seed, stream): each subdistrict's layout and each compound's
    /// people get their own stream, so generating one part never shifts the numbers of another
    /// and a smaller scale is an exact prefix of a larger one.
    init(seed: UInt64, stream: UInt64) {
        var splitMix = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var mixed = splitMix
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
        state0 = nextSplitMix()
        state1 = nextSplitMix()
        state2 = nextSplitMix()
        state3 = nextSplitMix()
    }

    mutating func next() -> UInt64 {
        let result = ((state1 &* 5) << 7 | (state1 &* 5) >> 57) &* 9
        let shifted = state1 << 17
        state2 ^= state0
        state3 ^= state1
        state1 ^= state2
        state0 ^= state3
        state2 ^= shifted
        state3 = state3 << 45 | state3 >> 19
        return result
    }

    /// A number in 0..<bound (bound > 0). The multiply-high mapping has a bias below 2⁻³², far
    /// under anything a demo can show, and needs no rejection loop.
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True with probability `basisPoints` / 10,000; shares of 0.1 % (dialysis) need the resolution.
    mutating func chance(_ basisPoints: Int) -> Bool {
        below(10_000) < basisPoints
    }
}

/// Picks an index with probability proportional to its weight in O(1): a lookup table with one
/// slot per unit of weight. Weights are small integers (per mille or per ten thousand).
struct WeightedPick {
    private let slots: [UInt16]

    init(_ weights: [Int]) {
        var slots: [UInt16] = []
        slots.reserveCapacity(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            slots.append(contentsOf: repeatElement(UInt16(index), count: max(0, weight)))
        }
        self.slots = slots
    }

    func pick(_ random: inout DemoRandom) -> Int {
        Int(slots[random.below(slots.count)])
    }
}
