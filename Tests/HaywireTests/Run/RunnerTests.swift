import Foundation
import Testing
import VCSConfig
@testable import Haywire

@Suite struct RunnerTests {
    private let runner = Runner(factory: SimulatedBackendFactory())

    @Test func theShippedSuitePassesWithExactRecoveryTimes() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        let result = await runner.run(suite)
        #expect(result.scenarios.map(\.verdict) == [.passed, .passed, .passed, .passed])
        // Guest kill: seen at the next 60 s monitor, clean 2 s, offline chain
        // 6 s, online on hostb 13 s. Host kill: 21 s heartbeat timeout + 13 s.
        #expect(result.scenarios.map(\.recovery) == [.seconds(81), .seconds(34), .seconds(71), .seconds(73)])
        #expect(result.scenarios.allSatisfy { $0.healErrors.isEmpty && $0.resolution == .zero })
    }

    @Test func faultedOnlineElsewhereAndSystemStateAreJudgedWithTheirTimes() async throws {
        let suite = try loadFixture("""
              - name: host
                fault: { kill-host: hosta, for: 60s }
                expect:
                  - { system-state: hosta, state: FAULTED, within: 1m }
                  - { group: vmgrp, online: not hosta, within: 2m }
                  - { system-state: hosta, state: RUNNING, within: 5m }
              - name: guest
                fault: { kill-guest: vm1 }
                expect:
                  - { group: vmgrp, faulted: hosta, within: 2m }
              - name: too soon
                fault: { kill-guest: vm1 }
                expect:
                  - { group: vmgrp, faulted: hosta, within: 30s }
            """)
        let results = await runner.run(suite).scenarios
        #expect(results.map(\.verdict) == [.passed, .passed, .failed])
        // Dead after the 21 s heartbeat timeout, the group on hostb 13 s
        // later; powered on again at 60 s, the engine runs 90 s after.
        #expect(results[0].expectations.map(\.recovery) == [.seconds(21), .seconds(34), .seconds(150)])
        // The guest's monitor sees it 60 s after the group came online.
        #expect(results[1].expectations.map(\.recovery) == [.seconds(60)])
        #expect(results[2].message.hasPrefix("vmgrp FAULTED on hosta not reached within 30s"))
    }

    @Test func aTimelineOfFaultsStrikesEachAtItsOffset() async throws {
        let suite = try loadFixture("""
              - name: the failover target dies first
                faults:
                  - { kill-host: hostb }
                  - { kill-guest: vm1, at: 30s }
                expect:
                  - { system-state: hostb, state: FAULTED, within: 1m }
                  - { group: vmgrp, faulted: hosta, within: 2m }
                  - { group: vmgrp, offline: everywhere, within: 3m }
            """)
        let scenario = try #require(await runner.run(suite).scenarios.first)
        #expect(scenario.verdict == .passed, "\(scenario.message)")
        // hostb dead after 21 s; vm1 killed at 30 s, seen at the monitor
        // 60 s after the group came online (at the first fault): 60 s.
        #expect(scenario.expectations.map(\.recovery) == [.seconds(21), .seconds(60), nil])
        #expect(scenario.fault == "kill-host host hostb; kill-guest guest vm1 at 30s")
        let injections = scenario.timeline.filter { $0.kind == .fault && $0.text.hasPrefix("inject") }
        #expect(injections.map(\.time) == [.seconds(13), .seconds(43)])
    }

    @Test func partitionsShutdownsAndReboots() async throws {
        let suite = try loadFixture("""
              - name: partition without fencing
                fault: { partition: [[hosta], [hostb]], for: 2m }
                expect:
                  - { no-concurrency-violation: vmgrp, within: 3m }
              - name: shutdown
                fault: { shutdown-guest: vm1 }
                expect:
                  - { group: vmgrp, online: hostb, within: 3m }
              - name: reboot
                fault: { reboot-guest: vm1 }
                expect:
                  - { group: vmgrp, stays: online, for: 3m }
            """)
        let results = await runner.run(suite).scenarios
        #expect(results.map(\.verdict) == [.failed, .passed, .passed], "\(results.map(\.message))")
        // Split at 13 + 21 s: hostb starts the group as well (concurrency).
        #expect(results[0].message.hasPrefix("concurrency violation: vmgrp active on two systems at t="))
        #expect(results[0].timeline.contains { $0.text == "heartbeats restored between hosta | hostb" })
        #expect(results[1].recovery == .seconds(81))
    }

    @Test func repeatedRunsVaryWithJitterAndTheirPercentilesAreJudged() async throws {
        let dir = try fixtureFolder(["s.yaml": suiteText("""
              - name: kill
                repeat: 20
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: hostb, within: { p50: 90s, p95: 70s, max: 3m } } ]
            """).replacingOccurrences(of: "scenarios:", with: "simulator: { jitter: 20% }\nscenarios:")])
        let suite = try SuiteLoader.load(path: "\(dir)/s.yaml")
        var reported: [String] = []
        let results = await Runner(factory: SimulatedBackendFactory(seed: 5)).run(suite) { reported.append($0.name) }.scenarios
        #expect(reported == (1...20).map { "kill #\($0)" } + ["kill (percentiles)"])
        let recoveries = results.dropLast().compactMap(\.recovery)
        #expect(recoveries.count == 20)
        // The monitor cycle is fixed (60 s); clean, offline and online vary.
        #expect(Set(recoveries).count > 10)
        #expect(recoveries.allSatisfy { $0 > .seconds(70) && $0 < .seconds(90) })
        let verdict = try #require(results.last)
        #expect(verdict.verdict == .failed)
        #expect(verdict.message.contains("p95"))
        #expect(!verdict.message.contains("p50"))
        #expect(verdict.timeline.count == 2)
    }

    /// Runs that missed `max` but recovered late count with their real
    /// times: the percentile reads 1m21s, not "missed".
    @Test func lateRecoveriesCountWithTheirRealTimesInPercentiles() async throws {
        let dir = try fixtureFolder(["s.yaml": suiteText("""
              - name: kill
                repeat: 3
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: hostb, within: { p50: 60s, max: 70s } } ]
            """)])
        let results = await Runner(factory: SimulatedBackendFactory(seed: 5)).run(try SuiteLoader.load(path: "\(dir)/s.yaml")).scenarios
        #expect(results.dropLast().allSatisfy { $0.verdict == .failed && $0.recovery == .seconds(81) }, "\(results.map(\.message))")
        #expect(results.last?.message == "vmgrp online on hostb within 1m10s: p50 1m21s over 3 runs (bound 1m)", "\(results.last?.message ?? "")")
    }

    @Test func percentilesUseTheNearestRankAndCountMissesAsSlowest() {
        let samples: [Duration?] = [.seconds(3), .seconds(1), nil, .seconds(2)]
        #expect(Percentiles.value(50, of: samples) == .seconds(2))
        #expect(Percentiles.value(75, of: samples) == .seconds(3))
        #expect(Percentiles.value(95, of: samples) == nil)
        #expect(Percentiles.value(25, of: samples) == .seconds(1))
    }

    @Test func aRandomScheduleIsDrawnFromTheSeedAndSkipsWhatCannotBeMade() async throws {
        let suite = try loadFixture("""
              - name: chaos
                random:
                  faults:
                    - { kill-guest: vm1 }
                    - { link-down: { host: active(vmgrp), link: eth0 }, for: 30s }
                  every: { min: 1m, max: 3m }
                  for: 10m
                expect:
                  - { no-concurrency-violation: vmgrp, within: 12m }
            """)
        func schedule(_ seed: UInt64) async -> ScenarioResult {
            await Runner(factory: SimulatedBackendFactory(seed: seed), seed: seed).run(suite).scenarios[0]
        }
        let first = await schedule(1)
        #expect(first.verdict == .passed, "\(first.message)")
        #expect(await schedule(1).timeline == first.timeline)
        #expect(await schedule(2).fault != first.fault)
        // Faults 1 to 3 minutes apart over 10 minutes: 4 to 11 of them.
        let drawn = first.fault.components(separatedBy: "; ")
        #expect((4...11).contains(drawn.count), "\(drawn)")
        #expect(!drawn[0].contains(" at "))
        let offsets = try drawn.dropFirst().map { part in
            let at = try #require(part.range(of: " at ")).upperBound
            return try #require(parseDuration(String(part[at...].prefix { $0 != " " })))
        }
        #expect(zip([Duration.zero] + offsets, offsets).allSatisfy { $1 - $0 >= .seconds(60) && $1 - $0 <= .seconds(180) })
        #expect(offsets.last! <= .seconds(600))
    }

    /// A drawn schedule is judged to its end: a group back online between
    /// two faults does not pass a schedule that leaves both hosts dead.
    @Test func aRandomScheduleIsJudgedOverItsWholeWindow() async throws {
        func chaos(_ heal: String) throws -> Suite {
            try loadFixture("""
                  - name: chaos
                    random:
                      faults: [ { kill-host: hosta\(heal) }, { kill-host: hostb\(heal) } ]
                      every: 1m
                      for: 4m
                    expect:
                      - { group: vmgrp, online: any, within: 5m }
                      - { no-concurrency-violation: vmgrp, within: 5m }
                """)
        }
        let dead = await Runner(factory: SimulatedBackendFactory(seed: 3), seed: 3).run(try chaos("")).scenarios[0]
        #expect(dead.fault.contains("kill-host host hosta") && dead.fault.contains("kill-host host hostb"), "\(dead.fault)")
        #expect(dead.verdict == .failed, "\(dead.message)")
        // Five faults a minute apart, the last at 4m: every window ends 4m later.
        #expect(dead.expectations.map(\.expectation.within) == [.seconds(540), .seconds(540)])
        #expect(dead.message.hasPrefix("vmgrp online on any system not reached within 9m"), "\(dead.message)")

        let healed = await Runner(factory: SimulatedBackendFactory(seed: 3), seed: 3).run(try chaos(", for: 30s")).scenarios[0]
        #expect(healed.verdict == .passed, "\(healed.message)")
        // Its recovery runs from the schedule's last heal (4m30s).
        let recovery = try #require(healed.expectations[0].recovery)
        #expect(recovery > .zero && recovery < .seconds(300), "\(recovery)")
    }

    /// The seed's KVMGuest agent manages the libvirt guest itself, as an
    /// Application running virsh does: a killed guest fails its group over.
    @Test func aKVMGuestResourceManagesItsGuest() async throws {
        let dir = try fixtureFolder(["main.cf": """
            include "types.cf"
            cluster c ( )
            system hosta ( )
            system hostb ( )
            group kvmgrp ( SystemList = { hosta = 0, hostb = 1 } AutoStartList = { hosta } )
                KVMGuest guest1 ( GuestName = vm1 DelayAfterGuestOnline = 10 )
            """, "s.yaml": """
            suite: kvmguest
            cluster: { manager: simulated, config: main.cf }
            lab: { hosts: { hosta: {}, hostb: {} }, guests: { vm1: { on: [hosta, hostb] } } }
            scenarios:
              - name: guest killed
                fault: { kill-guest: vm1 }
                expect: [ { group: kvmgrp, online: hostb, within: 10m } ]
            """])
        let result = await runner.run(try SuiteLoader.load(path: "\(dir)/s.yaml")).scenarios[0]
        #expect(result.verdict == .passed, "\(result.message)")
        #expect(result.timeline.contains { $0.text.contains("evidence: vm1") }, "\(result.timeline.map(\.text))")
    }

    @Test func faultsInsideAGuestHurtOnlyWhatRunsInside() async throws {
        // PM-PM: nothing the cluster watches runs inside vm1.
        let plain = try loadFixture("""
              - name: panic
                fault: { crash-guest: vm1 }
                expect: [ { group: vmgrp, stays: online, for: 3m } ]
              - name: nics
                fault: { link-down: { guest: vm1 }, for: 1m }
                expect: [ { group: vmgrp, stays: online, for: 3m } ]
              - name: disk
                fault: { detach-disk: { guest: vm1, target: vda } }
                expect: [ { group: vmgrp, stays: online, for: 3m } ]
            """)
        #expect(await runner.run(plain).scenarios.map(\.verdict) == [.passed, .passed, .passed])
        // With a cluster inside: a panic stops it. rvg1 (every 10 s from 35)
        // sees it at 45; the guest moves (shut down by 50, started on sysB by
        // 55), boots at 80, appsg starts, and rvg1 finds it ONLINE at 85.
        let shipped = try String(contentsOfFile: "\(suitesFolder)/pm-pm-remotegroup.yaml", encoding: .utf8)
        let dir = try fixtureFolder(["s.yaml": String(shipped[..<shipped.range(of: "scenarios:")!.upperBound]) + """

              - name: panic inside
                fault: { crash-guest: appvm }
                expect: [ { group: rsg, online: sysB, within: 3m } ]
            """])
        try FileManager.default.createDirectory(atPath: "\(dir)/configs", withIntermediateDirectories: true)
        for file in ["pm-pm-remote.main.cf", "appclus.main.cf"] {
            try FileManager.default.copyItem(atPath: "\(suitesFolder)/configs/\(file)", toPath: "\(dir)/configs/\(file)")
        }
        let suite = try SuiteLoader.load(path: "\(dir)/s.yaml")
        let inner = try #require(await runner.run(suite).scenarios.first)
        #expect(inner.recovery == .seconds(50), "\(inner.message)")
    }

    @Test func killingHadIsRiddenOut() async throws {
        let suite = try loadFixture("""
              - name: had
                fault: { kill-process: { host: active(vmgrp), process: had } }
                expect: [ { group: vmgrp, stays: online, for: 3m } ]
            """)
        let scenario = try #require(await runner.run(suite).scenarios.first)
        #expect(scenario.verdict == .passed)
        #expect(scenario.timeline.contains { $0.text == "hosta: had killed; hashadow restarts it and it finds its groups as they were" })
    }

    @Test func aPausedHostIsExpelledAndHaltedWhenItWakes() async throws {
        let suite = try loadFixture("""
              - name: pause
                fault: { pause-host: hosta, for: 1m }
                expect:
                  - { group: vmgrp, online: hostb, within: 2m }
                  - { system-state: hosta, state: FAULTED, within: 1m }
            """)
        let scenario = try #require(await runner.run(suite).scenarios.first)
        #expect(scenario.verdict == .passed, "\(scenario.message)")
        // Declared dead after 21 s, the group on hostb 13 s later.
        #expect(scenario.expectations.map(\.recovery) == [.seconds(34), .seconds(21)])
        #expect(scenario.timeline.contains { $0.text == "hosta: GAB halts the system: it rejoined after a network partition" })
        #expect(!scenario.timeline.contains { $0.text.contains("hostb: GAB halts") })
    }

    /// A simulator that stands in for a real lab, which stops on a broken lab.
    private struct LabLike: BackendFactory {
        let inner = SimulatedBackendFactory(parallelism: 1)
        func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend {
            try await inner.makeBackend(for: suite, scenario: scenario)
        }
        func close() async { await inner.close() }
    }

    @Test func aLabThatDoesNotComeBackStopsTheRun() async throws {
        // Steady within 5 s cannot be met (the group needs 13 s).
        let dir = try fixtureFolder(["s.yaml": suiteText("""
              - { name: first, fault: { kill-guest: vm1 }, expect: [ { group: vmgrp, online: any, within: 3m } ] }
              - { name: second, fault: { kill-guest: vm1 }, expect: [ { group: vmgrp, online: any, within: 3m } ] }
            """).replacingOccurrences(of: "scenarios:", with: "defaults: { steady-within: 5s }\nscenarios:")])
        let suite = try SuiteLoader.load(path: "\(dir)/s.yaml")
        let results = await Runner(factory: LabLike()).run(suite).scenarios
        #expect(results.map(\.verdict) == [.error, .error])
        #expect(results[0].message.hasPrefix("steady state not reached within 5s"))
        #expect(results[1].message == "not run: the lab did not return to its steady state for first")
        // The simulator restores every scenario from its snapshot: it goes on.
        let simulated = await runner.run(suite).scenarios
        #expect(simulated.map(\.message).allSatisfy { $0.hasPrefix("steady state not reached") })
    }

    @Test func everyScenarioStartsFromTheSameSteadyState() async throws {
        // One simulator serves the suite; the second kill must see exactly
        // what the first did, although a failover and a host kill came between.
        let suite = try loadFixture("""
              - name: first
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: hostb, within: 5m } ]
              - name: between
                given: [ { group: vmgrp, online: hostb } ]
                fault: { kill-host: hostb }
                expect: [ { group: vmgrp, online: hosta, within: 5m } ]
              - name: again
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: hostb, within: 5m } ]
            """)
        let result = await runner.run(suite)
        #expect(result.scenarios.map(\.verdict) == [.passed, .passed, .passed])
        #expect(result.scenarios[0].timeline == result.scenarios[2].timeline)
        // given: switches the group as hagrp -switch would, before the fault.
        #expect(result.scenarios[1].timeline.contains { $0.text == "switching vmgrp to hostb" })
        #expect(result.scenarios[1].recovery == .seconds(34))
    }

    @Test func scenariosRunInParallelReportAsTheyWouldOneByOne() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        var order: [String] = []
        let parallel = await Runner(factory: SimulatedBackendFactory(parallelism: 3)).run(suite) { order.append($0.name) }
        let serial = await Runner(factory: SimulatedBackendFactory(parallelism: 1)).run(suite)
        #expect(order == suite.scenarios.map(\.name))
        #expect(parallel.scenarios.map(\.timeline) == serial.scenarios.map(\.timeline))
        #expect(parallel.scenarios.map(\.verdict) == serial.scenarios.map(\.verdict))
    }

    @Test func jitterVariesTimingsBySeedAndTheSameSeedRepeats() async throws {
        let dir = try fixtureFolder(["s.yaml": suiteText("""
              - name: kill
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: hostb, within: 5m } ]
            """).replacingOccurrences(of: "scenarios:", with: """
            simulator:
              jitter: 20%
              heartbeat: { peerinact: 10s }
              agents: { Application: { online: 8s } }
            scenarios:
            """)])
        let suite = try SuiteLoader.load(path: "\(dir)/s.yaml")
        #expect(suite.cluster.simulator.timing(of: "Application").online == .seconds(8))
        #expect(suite.cluster.simulator.heartbeatTimeout == .seconds(15))
        func recovery(_ seed: UInt64) async -> [TimelineEntry] {
            await Runner(factory: SimulatedBackendFactory(seed: seed), seed: seed).run(suite).scenarios[0].timeline
        }
        let first = await recovery(1)
        #expect(await recovery(1) == first)
        #expect(await recovery(2) != first)
        // Without jitter the seed changes nothing.
        let plain = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        let a = await Runner(factory: SimulatedBackendFactory(seed: 1)).run(plain).scenarios.map(\.timeline)
        let b = await Runner(factory: SimulatedBackendFactory(seed: 2)).run(plain).scenarios.map(\.timeline)
        #expect(a == b)
    }

    @Test func badSimulatorSectionsAreRefusedWithTheirPlace() throws {
        func error(_ section: String) -> String? {
            let text = suiteText("""
                  - { name: a, fault: { kill-guest: vm1 }, expect: [ { group: vmgrp, online: any, within: 1m } ] }
                """).replacingOccurrences(of: "scenarios:", with: "simulator: \(section)\nscenarios:")
            do {
                let dir = try fixtureFolder(["s.yaml": text])
                _ = try SuiteLoader.load(path: "\(dir)/s.yaml")
                return nil
            } catch let error as ConfigError { return "\(error.location.line): \(error.reason)" } catch { return "\(error)" }
        }
        #expect(error("{ jitter: 80% }") == "11: jitter: expected a percentage from 0% to 50%, like 10%")
        #expect(error("{ agents: { Nonesuch: { online: 1s } } }")?.contains("Nonesuch") == true)
        #expect(error("{ heartbeat: { peerinact: 0s } }") == "11: peerinact must be longer than zero")
        #expect(error("{ fencing: maybe }") == "11: fencing: expected on or off, not 'maybe'")
    }

    @Test func anImpossibleSLAFailsWithTheLastObservedState() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/sla-too-short.yaml")
        let result = await runner.run(suite)
        let scenario = try #require(result.scenarios.first)
        #expect(scenario.verdict == .failed)
        // Watched 20 s more for its real time: the monitor has not run yet.
        #expect(scenario.message == "vmgrp online on hostb not reached within 20s (deadline t=33.000s), nor in the 20s watched after it; last observed: vmgrp hosta=ONLINE hostb=OFFLINE")
        #expect(scenario.recovery == nil)
        // Heal ran after the verdict anyway.
        #expect(scenario.timeline.contains { $0.kind == .heal })
    }

    /// A miss says by how much: the guest is back 81 s after its loss
    /// (seen at the next 60 s monitor, then clean, offline, online).
    @Test func aMissedSLAReportsTheRealRecoveryTime() async throws {
        let suite = try loadFixture("""
              - name: one minute is too short
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: hostb, within: 1m } ]
            """)
        let result = await runner.run(suite)
        let scenario = try #require(result.scenarios.first)
        #expect(scenario.verdict == .failed)
        #expect(scenario.message == "vmgrp online on hostb not reached within 1m: recovered after 1m21s (SLA 1m)")
        #expect(scenario.recovery == .seconds(81))
        #expect(scenario.expectations.map(\.passed) == [false])
        #expect(RunRecord(result).scenarios[0].expectations[0].recovery == 81)
    }

    @Test func onlineAnyIsNotMetBeforeTheClusterNoticesTheFault() async throws {
        let suite = try loadFixture("""
              - name: any
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: any, within: 5m } ]
            """)
        let scenario = try #require(await runner.run(suite).scenarios.first)
        #expect(scenario.verdict == .passed)
        #expect(scenario.recovery == .seconds(81))
    }

    @Test func aLinkBlipShorterThanTheNICMonitorGoesUnnoticed() async throws {
        let suite = try loadFixture("""
              - name: blip
                fault: { link-down: { host: active(vmgrp), link: eth0 }, for: 30s }
                expect: [ { group: vmgrp, online: next, within: 5m } ]
            """)
        let scenario = try #require(await runner.run(suite).scenarios.first)
        // The NIC monitor runs every 60 s: the link is back before it looks.
        #expect(scenario.verdict == .failed)
        #expect(scenario.expectations.first?.lastState == "vmgrp hosta=ONLINE hostb=OFFLINE")
        let fault = try #require(scenario.timeline.first { $0.kind == .fault && $0.text.hasPrefix("links") })
        let heal = try #require(scenario.timeline.first { $0.kind == .heal })
        #expect(heal.time - fault.time == .seconds(30))
        #expect(heal.text == "links eth0 of hosta up")
    }

    /// `online: next` is met on hostb while hosta still runs vmgrp: the
    /// audit every scenario is held to fails it all the same.
    @Test func allLinksDownSplitsTheBrainAndTheAuditFailsIt() async throws {
        let suite = try loadFixture("""
              - name: isolated
                fault: { link-down: { host: active(vmgrp) }, for: 1m }
                expect: [ { group: vmgrp, online: next, within: 5m } ]
              - name: isolated, the split brain waived
                fault: { link-down: { host: active(vmgrp) }, for: 1m }
                expect: [ { group: vmgrp, online: next, within: 5m } ]
                allow: { concurrency: "no fencing here: this shows what fencing is for" }
            """)
        let scenarios = await runner.run(suite).scenarios
        let scenario = try #require(scenarios.first)
        #expect(scenario.verdict == .failed)
        #expect(scenario.expectations.map(\.passed) == [true])
        #expect(scenario.message == "audit at most once: vmgrp active on hosta, hostb at t=39.000s")
        #expect(scenario.fault == "link-down host hosta links eth0,llt0,llt1 for 1m")
        #expect(scenario.timeline.contains { $0.text.contains("GAB halts") })
        let violation = try #require(scenario.timeline.first { $0.kind == .note })
        #expect(violation.text == "concurrency violation: vmgrp active on hosta, hostb")
        #expect(violation.time == .seconds(39))
        #expect(scenario.timeline.contains { $0.kind == .verdict && $0.text == "failed: audit at most once: vmgrp active on hosta, hostb at t=39.000s" })
        // Waived by name, with its reason on the timeline.
        #expect(scenarios[1].verdict == .passed, "\(scenarios[1].message)")
        #expect(scenarios[1].timeline.contains {
            $0.text == "audit at most once: vmgrp active on hosta, hostb at t=39.000s, waived: no fencing here: this shows what fencing is for"
        })
    }

    @Test func aPausedGuestKeepsItsPidFileSoTheApplicationAgentSeesNoFault() async throws {
        let suite = try loadFixture("""
              - name: pause
                fault: { pause-guest: vm1, for: 2m }
                expect: [ { group: vmgrp, online: next, within: 3m } ]
            """)
        let scenario = try #require(await runner.run(suite).scenarios.first)
        #expect(scenario.verdict == .failed)
        #expect(scenario.expectations.first?.lastState == "vmgrp hosta=ONLINE hostb=OFFLINE")
        #expect(scenario.timeline.contains { $0.kind == .heal && $0.text == "virDomainResume vm1 on hosta" })
    }

    @Test func staysOnlinePassesWhenTheClusterRidesThroughAndFailsWhenItMoves() async throws {
        let suite = try loadFixture("""
              - name: blip
                fault: { link-down: { host: active(vmgrp), link: eth0 }, for: 30s }
                expect: [ { group: vmgrp, stays: online, for: 2m } ]
              - name: kill
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, stays: online, for: 2m } ]
            """)
        let results = await runner.run(suite).scenarios
        #expect(results[0].verdict == .passed)
        #expect(results[0].expectations.first?.message == "vmgrp stayed online on hosta for 2m")
        #expect(results[0].recovery == nil)
        #expect(results[1].verdict == .failed)
        // Seen at the 60 s monitor: the group starts going offline on hosta.
        #expect(results[1].message.hasPrefix("vmgrp left hosta at t=73.000s, inside its 2m window; last observed: vmgrp hosta="))
    }

    @Test func aNonCriticalFaultLeavesTheGroupPartialWhereItIs() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm-noncritical.yaml")
        let results = await runner.run(suite).scenarios
        #expect(results.map(\.verdict) == [.passed, .passed])
        // Seen at the mount's 60 s monitor: the group goes PARTIAL, no failover.
        #expect(results[0].timeline.contains { $0.kind == .state && $0.text == "vmgrp on hosta: ONLINE -> ONLINE|PARTIAL|FAULTED" })
        #expect(!results[0].timeline.contains { $0.text.contains("failing vmgrp over") })
    }

    @Test func theRemoteGroupSuitesRecoverInHandComputedTimes() async throws {
        for name in ["pm-pm-remotegroup", "pm-pm-remotegroup-monitoronly"] {
            let results = await runner.run(try SuiteLoader.load(path: "\(suitesFolder)/\(name).yaml")).scenarios
            #expect(results.allSatisfy { $0.verdict == .passed }, "\(name)")
            // Killed at 35: rvg1 sees appsg FAULTED at 95, the guest moves and
            // boots by 130, rvg1 finds appsg ONLINE at 135 (see the suite).
            #expect(results[0].expectations.map(\.recovery) == [.seconds(100), .seconds(96), .seconds(70)], "\(name)")
            #expect(results[0].timeline.contains { $0.text == "sysA: rsg faulted: its hard child vmgrp fails over with it" })
        }
    }

    @Test func anInjectionThatCannotBeMadeIsAnError() async throws {
        // Without an AutoStartList nothing starts, so vm1 runs nowhere.
        let dir = try fixtureFolder(["s.yaml": suiteText("""
              - name: nothing to kill
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: any, within: 1m } ]
            """)])
        let main = "\(dir)/pm-pm.main.cf"
        try String(contentsOfFile: main, encoding: .utf8).replacingOccurrences(of: "    AutoStartList = { hosta }\n", with: "")
            .write(toFile: main, atomically: true, encoding: .utf8)
        let scenario = try #require(await runner.run(try SuiteLoader.load(path: "\(dir)/s.yaml")).scenarios.first)
        #expect(scenario.verdict == .error)
        #expect(scenario.message == "cannot inject kill-guest guest vm1: guest vm1 is not running on any host")
    }

    @Test func unresolvableTargetsAreAnError() async throws {
        let suite = try loadFixture("""
              - name: next of a group with no second system
                fault: { kill-host: hostb }
                expect: [ { group: vmgrp, online: any, within: 1m } ]
              - name: kill both
                fault: { kill-host: next(vmgrp) }
                expect: [ { group: vmgrp, online: hosta, within: 1m } ]
            """)
        let results = await runner.run(suite).scenarios
        // Killing the idle host does not move the group: 'any' never changes.
        #expect(results[0].verdict == .failed)
        #expect(results[1].verdict == .failed)
        #expect(results[1].fault == "kill-host host hostb")
    }

    @Test func twoRunsTellTheSameStory() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        let first = await runner.run(suite)
        let second = await runner.run(suite)
        #expect(first.scenarios.map(\.timeline) == second.scenarios.map(\.timeline))
        #expect(first.scenarios.count == 4)
    }
}
