import Foundation
import Testing
import VCSConfig
import VCSSemantics
@testable import Haywire

/// A real cluster's probe whose hosts fall silent: a silent host is a real
/// command that outlives its timeout, as a hung crm_mon over ssh would.
@Suite struct PollingProbeTests {
    /// Which hosts hang: set outright, or for a range of polls (counted
    /// as the times hosta, always asked first, is asked).
    private final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private var hung: Set<String> = []
        private var polls = 0
        private let hostaHangs: ClosedRange<Int>?
        /// From this poll of hosta on, the cluster lists a failed action.
        private let failsFrom: Int?
        /// What the cluster says it does not manage.
        let unmanaged: [String: String]
        /// The polls of hosta, counted from the fault, at which hostb reads EXITED.
        let hostbExited: ClosedRange<Int>?
        private var faultAt: Int?
        func faultMade() { lock.withLock { faultAt = polls } }
        init(hostaHangs: ClosedRange<Int>? = nil, failsFrom: Int? = nil, unmanaged: [String: String] = [:],
             hostbExited: ClosedRange<Int>? = nil) {
            self.hostaHangs = hostaHangs
            self.failsFrom = failsFrom
            self.unmanaged = unmanaged
            self.hostbExited = hostbExited
        }
        func hostb() -> SystemStatus {
            lock.withLock { faultAt.map { hostbExited?.contains(polls - $0) == true } == true ? .exited : .running }
        }
        func happenings() -> [Happening] {
            lock.withLock {
                [Happening(text: "fencing reboot of hostc: success")]
                    + (failsFrom.map { polls >= $0 } == true ? [Happening(text: "failed action vm1_start_0 on hosta: error", at: Date())] : [])
                    // Relearned from a peer, dated long before the probe began.
                    + (failsFrom.map { polls >= $0 + 1 } == true ? [Happening(text: "fencing reboot of hostb: success", at: Date(timeIntervalSinceNow: -600))] : [])
            }
        }
        func hang(_ hosts: Set<String>) { lock.withLock { hung = hosts } }
        func hangs(_ host: String) -> Bool {
            lock.withLock {
                if host == "hosta" { polls += 1 }
                return hung.contains(host) || (host == "hosta" && hostaHangs?.contains(polls) == true)
            }
        }
    }

    private struct Reader: StatusReader {
        let script: Script
        func read(on shell: any CommandRunner) async throws -> StatusRead {
            guard case .netns(let host, _) = shell as? Shell else { throw HarnessError("unexpected shell") }
            if script.hangs(host) {
                _ = try await Command.run(["sleep", "30"], timeout: .milliseconds(100))
            }
            let online: GroupFlags = .online
            var state = ClusterState(systems: ["hosta": .running, "hostb": script.hostb()], groups: ["vmgrp": ["hosta": online, "hostb": .offline]])
            state.unmanaged = script.unmanaged
            return StatusRead(state: state, authoritative: true, happenings: script.happenings())
        }
    }

    private static func probe(_ script: Script, blindLimit: Duration = .seconds(30)) -> PollingProbe {
        var probe = PollingProbe(hosts: [("hosta", Shell.netns(name: "hosta", pidFile: "/nonexistent")),
                                         ("hostb", Shell.netns(name: "hostb", pidFile: "/nonexistent"))],
                                 reader: Reader(script: script), interval: .milliseconds(20), clock: LabClock())
        probe.blindLimit = blindLimit
        return probe
    }

    /// A read that takes its time: the observation is stamped when it
    /// asked, and the probe tells when the answer came back.
    @Test func theProbeTellsWhenEachObservationsReadCameBack() async throws {
        struct SlowReader: StatusReader {
            func read(on shell: any CommandRunner) async throws -> StatusRead {
                try await Task.sleep(for: .milliseconds(150))
                return StatusRead(state: ClusterState(systems: ["hosta": .running], groups: ["vmgrp": ["hosta": .online]]), authoritative: true)
            }
        }
        let probe = PollingProbe(hosts: [("hosta", Shell.netns(name: "hosta", pidFile: "/nonexistent"))], reader: SlowReader(),
                                 interval: .milliseconds(20), clock: LabClock())
        let observation = try await probe.watch(until: .seconds(20)) { _ in true }
        let answered = await probe.answeredAt(askedAt: observation.time)
        #expect(answered - observation.time >= .milliseconds(150))
        // A time no read was asked at is its own answer.
        #expect(await probe.answeredAt(askedAt: observation.time + .milliseconds(1)) == observation.time + .milliseconds(1))
    }

    @Test func aHostThatStopsAnsweringIsOneEventAndItsReturnAnother() async throws {
        let probe = Self.probe(Script(hostaHangs: 2...4))
        var events: [String] = []
        _ = try await probe.watch(until: .seconds(20)) { observation in
            events += observation.events.map(\.text)
            return events.count == 2
        }
        #expect(events.count == 2)
        #expect(events.first?.hasPrefix("hosta does not answer the probe: sleep 30 did not finish within") == true)
        #expect(events.last == "hosta answers the probe again")
    }

    /// What crm_mon already listed when the probe began is not news; a
    /// failed action that appears later is one cluster event, not one per poll.
    @Test func aFailedActionIsOneClusterEventWhenItFirstAppears() async throws {
        let probe = Self.probe(Script(failsFrom: 3))
        var events: [TimelineEntry] = []
        _ = try await probe.watch(until: .seconds(20)) { observation in
            events += observation.events
            return !events.isEmpty
        }
        // Ten more polls of the same answer bring nothing new.
        _ = try await probe.watch(until: await probe.now() + .milliseconds(200)) { observation in
            events += observation.events
            return false
        }
        #expect(events.map(\.text) == ["failed action vm1_start_0 on hosta: error"])
        #expect(events.map(\.kind) == [.cluster])
        #expect(PacemakerReader.date("2026-12-02 03:51:26Z") == Date(timeIntervalSince1970: 1_796_183_486))
        #expect(PacemakerReader.date("Wed Nov 25 15:49:13 2026") == nil)
    }

    /// Stands in for a lab: the scripted probe, and faults that change nothing.
    private struct SilentLab: BackendFactory {
        let script: Script
        /// Whether every host hangs once the fault is made (the silence test).
        var readyHangs = true
        struct Injector: FaultInjector {
            let script: Script
            let hangs: Bool
            var supportedFaults: Set<FaultKind> { [.killGuest] }
            func inject(_ fault: Fault) async throws -> Injected {
                if hangs { script.hang(["hosta", "hostb"]) }
                script.faultMade()
                return Injected(fault: fault, effectiveAt: .zero, detail: "pretended to kill \(fault.guest ?? "?")")
            }
            func heal(_ injected: Injected) async throws -> String { "nothing to heal" }
        }
        func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend {
            let backend = Backend(injector: Injector(script: script, hangs: readyHangs), probe: PollingProbe(
                hosts: [("hosta", Shell.netns(name: "hosta", pidFile: "/nonexistent")), ("hostb", Shell.netns(name: "hostb", pidFile: "/nonexistent"))],
                reader: Reader(script: script), interval: .milliseconds(20), clock: LabClock(), blindLimit: .seconds(1)),
                links: [], close: {})
            return backend
        }
        func close() async {}
    }

    @Test func aClusterThatStopsAnsweringIsAnErrorWithItsEventsNotAHang() async throws {
        let suite = try loadFixture("""
              - { name: silent, fault: { kill-guest: vm1 }, expect: [ { group: vmgrp, online: next, within: 1m } ] }
            """)
        let result = await Runner(factory: SilentLab(script: Script())).run(suite).scenarios[0]
        #expect(result.verdict == .error)
        // The silence is measured: at least the blind limit (1 s), and well
        // short of the probes' own 30 s, however loaded the machine is.
        #expect(result.message.hasPrefix("cannot observe the cluster: no host answered for "))
        let silence = result.message.dropFirst("cannot observe the cluster: no host answered for ".count)
            .prefix { $0.isNumber || $0 == "." }
        #expect((Double(silence) ?? 0) >= 1 && (Double(silence) ?? 99) < 20, "\(result.message)")
        #expect(result.message.contains("hosta: sleep 30 did not finish within"))
        let notes = result.timeline.filter { $0.kind == .note }.map(\.text)
        #expect(notes.contains { $0.hasPrefix("hosta does not answer the probe") })
        #expect(notes.contains { $0.hasPrefix("hostb does not answer the probe") })
        #expect(result.timeline.contains { $0.kind == .heal })
    }

    /// A group in maintenance is left alone by the cluster: a fault on it
    /// is refused before it is made, with Pacemaker's reason.
    @Test func aScenarioAboutAGroupTheClusterDoesNotManageIsRefused() async throws {
        let suite = try loadFixture("""
              - { name: frozen, fault: { kill-guest: vm1 }, expect: [ { group: vmgrp, online: next, within: 1m } ] }
            """)
        let script = Script(unmanaged: ["vmgrp": "it is in maintenance"])
        let result = await Runner(factory: SilentLab(script: script)).run(suite).scenarios[0]
        #expect(result.verdict == .error)
        #expect(result.message == "refused: the cluster does not manage vmgrp now (it is in maintenance); a fault on it would test nothing")
        #expect(!result.timeline.contains { $0.kind == .fault })
    }

    /// A polled view that shows a system down for one look, and up again at
    /// the next, is a view in flux (Pacemaker's new DC rebuilding its status),
    /// not collateral damage; down for two looks, it is.
    @Test(arguments: [(2...2, true), (2...3, false)])
    func aChangeUndoneAtTheNextLookIsNotCollateralDamage(_ exited: ClosedRange<Int>, _ passes: Bool) async throws {
        let suite = try loadFixture("""
              - { name: blip, fault: { kill-guest: vm1 }, expect: [ { group: vmgrp, stays: online, for: 1s } ] }
            """)
        let result = await Runner(factory: SilentLab(script: Script(hostbExited: exited), readyHangs: false)).run(suite).scenarios[0]
        #expect((result.verdict == .passed) == passes, "\(result.message)")
        #expect(result.timeline.contains { $0.text.hasPrefix("not counted as collateral damage: system hostb: RUNNING -> EXITED") } == passes)
        if !passes { #expect(result.message.contains("audit no collateral damage: system hostb: RUNNING -> EXITED")) }
    }
}
