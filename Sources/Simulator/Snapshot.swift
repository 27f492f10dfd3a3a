/// The whole simulated cluster at one instant: a copy of its world. A
/// suite reaches its steady state once and starts every scenario from it.
public struct SimulatorSnapshot: Sendable {
    let world: World

    /// Virtual time of the snapshot.
    public var time: Duration { world.now }
}
