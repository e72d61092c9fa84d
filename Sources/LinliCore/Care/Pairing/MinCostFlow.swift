/// Minimum-cost flow by successive shortest paths with Johnson potentials: each augmentation is
/// a shortest path on reduced costs (Dijkstra finds their length, then every path of that length
/// is sent along), so after every augmentation the flow is the cheapest of its value, and the
/// last is the cheapest among the largest. Costs on the arcs added
/// are never negative, which lets the potentials start at zero.
///
/// Arcs live in flat arrays (arc `a` and its residual twin `a ^ 1`), and each Dijkstra stops when
/// it settles the sink: nodes it did not settle move by the sink's distance instead of their own,
/// which keeps every residual reduced cost non-negative (their own distance is at least the
/// sink's). Only the settled nodes are touched, so an augmentation costs what its search costs.
struct MinCostFlow {
    private var head: [Int]
    private var next: [Int] = []
    private var target: [Int] = []
    private var capacity: [Int] = []
    private var cost: [Int64] = []
    /// After `solve`: potentials under which every residual arc has a non-negative reduced cost
    /// (`cost + potential[from] − potential[to]`), the optimality certificate the solver extends
    /// to arcs it left out.
    private(set) var potential: [Int64]
    /// After `solve`: the nodes the source still reaches through arcs with room.
    private(set) var reachable: [Bool]

    init(nodes: Int) {
        head = Array(repeating: -1, count: nodes)
        potential = Array(repeating: 0, count: nodes)
        reachable = Array(repeating: false, count: nodes)
    }

    var nodeCount: Int { head.count }

    /// Adds an arc and its residual twin; returns the forward arc, to read its flow later.
    /// `cost` must not be negative: the potentials start at zero.
    @discardableResult
    mutating func addArc(from: Int, to: Int, capacity: Int, cost: Int64) -> Int {
        let arc = target.count
        target.append(to)
        self.capacity.append(capacity)
        self.cost.append(cost)
        next.append(head[from])
        head[from] = arc
        target.append(from)
        self.capacity.append(0)
        self.cost.append(-cost)
        next.append(head[to])
        head[to] = arc + 1
        return arc
    }

    /// The flow on an arc `addArc` returned: what its twin carries back.
    func flow(on arc: Int) -> Int { capacity[arc ^ 1] }

    /// Per-search state of `augmentAlongShortestPaths`, kept to avoid reallocating it.
    private var nextArc: [Int] = []
    private var phaseOf: [Int] = []
    private var onPath: [Bool] = []
    private var dead: [Bool] = []
    private var phase = 0

    /// After the potentials are updated, the shortest paths are exactly the source–sink paths of
    /// arcs with room and a zero reduced cost: every reduced cost is non-negative, and a path's
    /// reduced costs add up to its length minus the sink's distance. Sending along all of them
    /// before the next Dijkstra (a depth-first search that remembers dead ends and each node's
    /// next arc) makes one search serve many people instead of one. Reverse arcs of a path get a
    /// zero reduced cost, so the potentials stay valid.
    private mutating func augmentAlongShortestPaths(source: Int, sink: Int) -> (flow: Int, cost: Int64) {
        let count = head.count
        if nextArc.count != count {
            nextArc = Array(repeating: -1, count: count)
            phaseOf = Array(repeating: -1, count: count)
            onPath = Array(repeating: false, count: count)
            dead = Array(repeating: false, count: count)
        }
        phase += 1
        var flow = 0
        var total: Int64 = 0
        var path: [Int] = []
        var stack: [Int] = [source]
        phaseOf[source] = phase
        nextArc[source] = head[source]
        dead[source] = false
        onPath[source] = true
        while let node = stack.last {
            if node == sink {
                var bottleneck = Int.max
                for arc in path { bottleneck = min(bottleneck, capacity[arc]) }
                for arc in path {
                    capacity[arc] -= bottleneck
                    capacity[arc ^ 1] += bottleneck
                    total += Int64(bottleneck) * cost[arc]
                }
                flow += bottleneck
                for node in stack { onPath[node] = false }
                stack.removeAll(keepingCapacity: true)
                stack.append(source)
                path.removeAll(keepingCapacity: true)
                onPath[source] = true
                continue
            }
            var advanced = false
            while nextArc[node] >= 0 {
                let arc = nextArc[node]
                let to = target[arc]
                if capacity[arc] > 0, cost[arc] + potential[node] - potential[to] == 0 {
                    if phaseOf[to] != phase {
                        phaseOf[to] = phase
                        nextArc[to] = head[to]
                        dead[to] = false
                    }
                    if !dead[to], !onPath[to] {
                        onPath[to] = true
                        stack.append(to)
                        path.append(arc)
                        advanced = true
                        break
                    }
                }
                nextArc[node] = next[arc]
            }
            guard !advanced else { continue }
            // Nothing onward from here in this phase (a node skipped for being on the path is
            // found again by the next Dijkstra, so marking too much only costs a search).
            dead[node] = true
            onPath[node] = false
            stack.removeLast()
            if !path.isEmpty { path.removeLast() }
            if stack.isEmpty { break }
        }
        for node in stack { onPath[node] = false }
        return (flow, total)
    }

    /// Sends as much as can go from `source` to `sink` at the least cost; returns (flow, cost).
    mutating func solve(source: Int, sink: Int) -> (flow: Int, cost: Int64) {
        let count = head.count
        let unreached = Int64.max
        var distance = [Int64](repeating: unreached, count: count)
        var settled = [Bool](repeating: false, count: count)
        var touched: [Int] = []
        var order: [Int] = []
        var heap = MinHeap()
        var flow = 0
        var total: Int64 = 0
        while true {
            for node in touched {
                distance[node] = unreached
                settled[node] = false
            }
            touched.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            heap.removeAll()
            distance[source] = 0
            touched.append(source)
            heap.push(0, source)
            var sinkDistance: Int64?
            while let (reached, node) = heap.pop() {
                guard !settled[node], reached == distance[node] else { continue }
                settled[node] = true
                order.append(node)
                if node == sink {
                    sinkDistance = reached
                    break
                }
                var arc = head[node]
                while arc >= 0 {
                    let to = target[arc]
                    if capacity[arc] > 0, !settled[to] {
                        let candidate = reached + cost[arc] + potential[node] - potential[to]
                        if candidate < distance[to] {
                            if distance[to] == unreached { touched.append(to) }
                            distance[to] = candidate
                            heap.push(candidate, to)
                        }
                    }
                    arc = next[arc]
                }
            }
            // Unsettled nodes would move by the limit; moving the settled ones by (own − limit)
            // instead shifts every potential by the same constant, which no reduced cost sees.
            let limit = sinkDistance ?? order.map { distance[$0] }.max() ?? 0
            for node in order { potential[node] += distance[node] - limit }
            guard sinkDistance != nil else {
                reachable = Array(repeating: false, count: count)
                for node in order { reachable[node] = true }
                break
            }
            let sent = augmentAlongShortestPaths(source: source, sink: sink)
            flow += sent.flow
            total += sent.cost
        }
        return (flow, total)
    }
}

/// A binary heap of (key, node), smallest key first, ties to the smaller node: the same input
/// always gives the same pairing.
private struct MinHeap {
    private var items: [(key: Int64, node: Int)] = []

    private static func less(_ a: (key: Int64, node: Int), _ b: (key: Int64, node: Int)) -> Bool {
        a.key != b.key ? a.key < b.key : a.node < b.node
    }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

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
