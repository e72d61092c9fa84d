/// Minimum-cost flow by successive shortest paths with Johnson potentials: each augmentation is
/// a shortest path on reduced costs (Dijkstra), so after every unit the flow is the cheapest of
/// its value, and the last is the cheapest among the largest. Costs on the arcs added are never
/// negative, which lets the potentials start at zero.
struct MinCostFlow {
    struct Arc {
        var to: Int
        var capacity: Int
        var cost: Int64
        /// The index of the reverse arc in `arcs[to]`.
        var reverse: Int
    }

    private(set) var arcs: [[Arc]]

    init(nodes: Int) {
        arcs = Array(repeating: [], count: nodes)
    }

    /// Adds an arc and its residual twin; returns where the forward arc is, to read its flow later.
    /// `cost` must not be negative: the potentials start at zero.
    @discardableResult
    mutating func addArc(from: Int, to: Int, capacity: Int, cost: Int64) -> (node: Int, index: Int) {
        let forward = Arc(to: to, capacity: capacity, cost: cost, reverse: arcs[to].count)
        let backward = Arc(to: from, capacity: 0, cost: -cost, reverse: arcs[from].count)
        arcs[from].append(forward)
        arcs[to].append(backward)
        return (from, arcs[from].count - 1)
    }

    /// The flow on an arc `addArc` returned: what its twin carries back.
    func flow(on arc: (node: Int, index: Int)) -> Int {
        let forward = arcs[arc.node][arc.index]
        return arcs[forward.to][forward.reverse].capacity
    }

    /// Sends as much as can go from `source` to `sink` at the least cost; returns (flow, cost).
    mutating func solve(source: Int, sink: Int) -> (flow: Int, cost: Int64) {
        let count = arcs.count
        var potential = [Int64](repeating: 0, count: count)
        var flow = 0
        var cost: Int64 = 0
        let unreached = Int64.max
        while true {
            var distance = [Int64](repeating: unreached, count: count)
            var previous = [(node: Int, arc: Int)](repeating: (-1, -1), count: count)
            var heap = MinHeap()
            distance[source] = 0
            heap.push(0, source)
            while let (reached, node) = heap.pop() {
                guard reached == distance[node] else { continue }
                for (index, arc) in arcs[node].enumerated() where arc.capacity > 0 {
                    let candidate = reached + arc.cost + potential[node] - potential[arc.to]
                    if candidate < distance[arc.to] {
                        distance[arc.to] = candidate
                        previous[arc.to] = (node, index)
                        heap.push(candidate, arc.to)
                    }
                }
            }
            guard distance[sink] != unreached else { break }
            for node in 0..<count where distance[node] != unreached { potential[node] += distance[node] }
            // One unit at a time: every arc out of the source carries one person.
            var node = sink
            var bottleneck = Int.max
            while node != source {
                let (from, index) = previous[node]
                bottleneck = min(bottleneck, arcs[from][index].capacity)
                node = from
            }
            node = sink
            while node != source {
                let (from, index) = previous[node]
                arcs[from][index].capacity -= bottleneck
                let reverse = arcs[from][index].reverse
                arcs[node][reverse].capacity += bottleneck
                cost += Int64(bottleneck) * arcs[from][index].cost
                node = from
            }
            flow += bottleneck
        }
        return (flow, cost)
    }
}

/// A binary heap of (key, node), smallest key first, ties to the smaller node: the same input
/// always gives the same pairing.
private struct MinHeap {
    private var items: [(key: Int64, node: Int)] = []

    private static func less(_ a: (key: Int64, node: Int), _ b: (key: Int64, node: Int)) -> Bool {
        a.key != b.key ? a.key < b.key : a.node < b.node
    }

    mutating func push(_ key: Int64, _ node: Int) {
        items.append((key, node))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Int64, Int)? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, Self.less(items[left], items[smallest]) { smallest = left }
                if right < items.count, Self.less(items[right], items[smallest]) { smallest = right }
                guard smallest != parent else { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (first.key, first.node)
    }
}
