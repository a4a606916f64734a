package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.testkit.LocalActorTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Announcer's state machine, with membership driven by the test. */
class AnnouncerTest {

  private static ActorTestKit kit;
  private TestProbe<LinkCommand> link;
  private ActorRef<Announcer.Command> a;

  private static final List<String> NODES = List.of("node-a", "node-b", "node-c");

  @BeforeAll
  static void start() {
    kit = LocalActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void announcerOnNodeA() {
    link = kit.createTestProbe();
    a = kit.spawn(Announcer.create("node-a", link.ref()));
    a.tell(new Announcer.MembershipChanged(NODES, Set.of()));
  }

  private void assign(String vip, long epoch, String... candidates) {
    a.tell(new Announcer.Assign(new Assignment(vip, List.of(candidates), Set.of(), epoch)));
  }

  private void unreachable(String... nodes) {
    a.tell(new Announcer.MembershipChanged(NODES, Set.of(nodes)));
  }

  @Test
  void firstCandidateAnnounces() {
    assign("10.222.1.1", 1, "node-a", "node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    assign("10.222.1.2", 1, "node-b", "node-a");
    link.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void standbyTakesOverWhenTheOwnerIsUnreachableAndHandsBackOnRejoin() {
    assign("10.222.1.2", 1, "node-b", "node-a", "node-c");
    link.expectNoMessage(Duration.ofMillis(100));
    unreachable("node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.2", Set.of()));
    // The entity confirms: node-a is now the owner, first in the list; node-b returning changes
    // nothing.
    assign("10.222.1.2", 2, "node-a", "node-b", "node-c");
    unreachable();
    link.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void ownerReturningBeforeTheEntityConfirmsGetsItBack() {
    assign("10.222.1.2", 1, "node-b", "node-a");
    unreachable("node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.2", Set.of()));
    unreachable();
    link.expectMessage(new LinkCommand.Withdraw("10.222.1.2"));
  }

  @Test
  void fencedNodeWithdrawsEverythingAndResumesWhenTheMajorityIsBack() {
    assign("10.222.1.1", 1, "node-a", "node-b");
    assign("10.222.1.3", 1, "node-c", "node-a");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    unreachable("node-b", "node-c"); // a minority of one: keep-majority will down node-a
    link.expectMessage(new LinkCommand.Withdraw("10.222.1.1"));
    link.expectNoMessage(Duration.ofMillis(200));
    TestProbe<Announcer.State> state = kit.createTestProbe();
    a.tell(new Announcer.GetState(state.ref()));
    assertThat(state.receiveMessage()).isEqualTo(new Announcer.State(Set.of(), true));
    unreachable("node-c"); // node-b is back: a majority of two
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    link.expectMessage(new LinkCommand.Announce("10.222.1.3", Set.of()));
  }

  /**
   * Issue 13, finding 1: a fenced node that is then downed (and sees the other side vanish from its
   * view) must stay silent — no announcement for an address another node now owns.
   */
  @Test
  void aFenceIsNotLiftedByBeingDownedOrByTheOtherSideLeavingTheView() {
    assign("10.222.1.1", 1, "node-a", "node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    unreachable("node-b", "node-c");
    link.expectMessage(new LinkCommand.Withdraw("10.222.1.1"));
    // The others are downed and removed from this node's view: one reachable member of one.
    a.tell(new Announcer.MembershipChanged(List.of("node-a"), Set.of()));
    link.expectNoMessage(Duration.ofMillis(200));
    // Its own resolver downs it: still nothing, and nothing afterwards either.
    a.tell(
        new Announcer.MembershipChanged(List.of("node-a"), Set.of(), Set.of(), Set.of("node-a")));
    a.tell(new Announcer.MembershipChanged(NODES, Set.of()));
    assign("10.222.1.2", 1, "node-a");
    link.expectNoMessage(Duration.ofMillis(200));
    TestProbe<Announcer.State> state = kit.createTestProbe();
    a.tell(new Announcer.GetState(state.ref()));
    assertThat(state.receiveMessage().announced()).isEmpty();
  }

  /**
   * The resolver downs an indirectly connected pair one member at a time: this node sees the other
   * one downed first, its view no longer says it is losing — and it must still stay silent.
   */
  @Test
  void aFenceStaysUpWhileTheResolverIsDowningMembers() {
    assign("10.222.1.1", 1, "node-b", "node-a");
    a.tell(new Announcer.MembershipChanged(NODES, Set.of("node-b"), Set.of(), Set.of(), true));
    link.expectNoMessage(Duration.ofMillis(100));
    // node-b downed; the table no longer names this node: not losing, a majority reachable.
    a.tell(
        new Announcer.MembershipChanged(
            NODES, Set.of("node-b"), Set.of(), Set.of("node-b"), false));
    link.expectNoMessage(Duration.ofMillis(200));
    TestProbe<Announcer.State> state = kit.createTestProbe();
    a.tell(new Announcer.GetState(state.ref()));
    assertThat(state.receiveMessage().fenced()).isTrue();
  }

  @Test
  void aDownedNodeWithdrawsEverythingAtOnce() {
    assign("10.222.1.1", 1, "node-a", "node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    a.tell(new Announcer.MembershipChanged(NODES, Set.of(), Set.of(), Set.of("node-a")));
    link.expectMessage(new LinkCommand.Withdraw("10.222.1.1"));
    a.tell(new Announcer.MembershipChanged(NODES, Set.of()));
    link.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aLeavingNodeKeepsWhatItAnnouncesButStartsNothingNew() {
    assign("10.222.1.1", 1, "node-a", "node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    a.tell(new Announcer.MembershipChanged(NODES, Set.of(), Set.of("node-a")));
    assign("10.222.1.2", 1, "node-a", "node-b");
    assign("10.222.1.3", 1, "node-b", "node-a");
    unreachable("node-b");
    link.expectNoMessage(Duration.ofMillis(200));
    TestProbe<Announcer.State> state = kit.createTestProbe();
    a.tell(new Announcer.GetState(state.ref()));
    assertThat(state.receiveMessage().announced()).containsExactly("10.222.1.1");
  }

  @Test
  void aFenceLiftsWhenAMajorityOfTheMembersKnownWhenFencedIsBack() {
    assign("10.222.1.1", 1, "node-a");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    unreachable("node-b", "node-c");
    link.expectMessage(new LinkCommand.Withdraw("10.222.1.1"));
    unreachable("node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
  }

  /**
   * The chaos harness's restart fault: the owner dies, its standby takes over, and the owner is
   * started again under its old name before the VIP entity has confirmed the standby. The new
   * process announces nothing yet, so the standby keeps the address until an assignment made after
   * the restart says otherwise.
   */
  @Test
  void anOwnerStartedAgainUnderItsNameDoesNotTakeBackAStaleAssignment() {
    incarnations(Set.of(), 2L);
    assign("10.222.1.2", 1, "node-b", "node-a", "node-c");
    incarnations(Set.of("node-b"), 2L);
    link.expectMessage(new LinkCommand.Announce("10.222.1.2", Set.of()));
    // node-b is back as a new process (incarnation 4): reachable, but not yet assigned anything.
    incarnations(Set.of(), 4L);
    link.expectNoMessage(Duration.ofMillis(200));
    // An assignment made after its return ranks it first again: it owns the address now.
    assign("10.222.1.2", 2, "node-b", "node-a", "node-c");
    link.expectMessage(new LinkCommand.Withdraw("10.222.1.2"));
  }

  /** A view of the three nodes with node-b in incarnation {@code nodeB}. */
  private void incarnations(Set<String> unreachable, long nodeB) {
    a.tell(
        new Announcer.MembershipChanged(
            NODES,
            unreachable,
            Set.of(),
            Set.of(),
            false,
            Map.of("node-a", 1L, "node-b", nodeB, "node-c", 3L)));
  }

  @Test
  void staleAssignmentsAreIgnored() {
    assign("10.222.1.1", 5, "node-b", "node-a");
    assign("10.222.1.1", 4, "node-a", "node-b");
    link.expectNoMessage(Duration.ofMillis(200));
    a.tell(new Announcer.Unassign("10.222.1.1", 3));
    unreachable("node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    a.tell(new Announcer.Unassign("10.222.1.1", 5));
    link.expectMessage(new LinkCommand.Withdraw("10.222.1.1"));
  }

  @Test
  void interfacesChangeReannounces() {
    a.tell(new Announcer.Assign(new Assignment("10.222.1.1", List.of("node-a"), Set.of(), 1)));
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    a.tell(
        new Announcer.Assign(new Assignment("10.222.1.1", List.of("node-a"), Set.of("eth1"), 2)));
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of("eth1")));
  }

  @Test
  void aLeavingOwnerIsSkippedAtOnceButDoesNotCountTowardTheFence() {
    assign("10.222.1.2", 1, "node-b", "node-a");
    link.expectNoMessage(Duration.ofMillis(100));
    a.tell(new Announcer.MembershipChanged(NODES, Set.of(), Set.of("node-b", "node-c")));
    link.expectMessage(new LinkCommand.Announce("10.222.1.2", Set.of()));
    TestProbe<Announcer.State> state = kit.createTestProbe();
    a.tell(new Announcer.GetState(state.ref()));
    assertThat(state.receiveMessage().fenced()).isFalse();
  }

  @Test
  void aDeadOwnerThatIsRemovedStaysSkippedUntilTheEntityForgetsIt() {
    assign("10.222.1.2", 1, "node-b", "node-a", "node-c");
    unreachable("node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.2", Set.of()));
    // Downed and removed: no longer unreachable, but no longer a member either.
    a.tell(new Announcer.MembershipChanged(List.of("node-a", "node-c"), Set.of()));
    link.expectNoMessage(Duration.ofMillis(200));
    TestProbe<Announcer.State> state = kit.createTestProbe();
    a.tell(new Announcer.GetState(state.ref()));
    assertThat(state.receiveMessage().owners()).containsEntry("10.222.1.2", "node-a");
  }

  @Test
  void plannedStopWithdrawsBeforeReplying() {
    assign("10.222.1.1", 1, "node-a");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    TestProbe<Done> done = kit.createTestProbe();
    a.tell(new Announcer.PlannedStop(done.ref()));
    link.expectMessage(new LinkCommand.Withdraw("10.222.1.1"));
    done.expectMessage(Done.getInstance());
    assign("10.222.1.2", 1, "node-a");
    link.expectNoMessage(Duration.ofMillis(200));
  }

  /**
   * Only a take-over from an unreachable owner is a failover; a new address and a planned hand-over
   * (owners leaving) are not. Its time runs from the loss of the last owner ranked before this node
   * (the one whose failure handed the address on), not from an earlier one's.
   */
  @Test
  void theObserverHearsWhichStartsAreFailoversAndHowLongAfterTheOwnerWasLost() {
    List<String> five = List.of("node-a", "node-b", "node-c", "node-d", "node-e");
    TestProbe<Announcer.Change> changes = kit.createTestProbe();
    ActorRef<Announcer.Command> c =
        kit.spawn(
            Announcer.create("node-c", link.ref(), changes.ref(), Announcer.PLANNED_MOVE_INTERVAL));
    c.tell(new Announcer.MembershipChanged(five, Set.of()));
    c.tell(new Announcer.Assign(new Assignment("10.222.1.5", List.of("node-c"), Set.of(), 1)));
    Announcer.Change created = changes.receiveMessage();
    assertThat(created.started()).containsExactly("10.222.1.5");
    assertThat(created.tookOver()).isEmpty();

    c.tell(
        new Announcer.Assign(
            new Assignment("10.222.1.6", List.of("node-a", "node-b", "node-c"), Set.of(), 1)));
    c.tell(
        new Announcer.Assign(
            new Assignment("10.222.1.7", List.of("node-a", "node-c"), Set.of(), 1)));
    c.tell(new Announcer.MembershipChanged(five, Set.of(), Set.of("node-a", "node-b")));
    Announcer.Change handedOver = changes.receiveMessage();
    assertThat(handedOver.started()).containsExactly("10.222.1.6", "10.222.1.7");
    assertThat(handedOver.tookOver()).isEmpty();
    c.tell(new Announcer.MembershipChanged(five, Set.of()));
    assertThat(changes.receiveMessage().stopped()).containsExactly("10.222.1.6", "10.222.1.7");

    c.tell(new Announcer.MembershipChanged(five, Set.of("node-a")));
    Announcer.Change first = changes.receiveMessage();
    assertThat(first.started()).containsExactly("10.222.1.7"); // node-b still answers for .6
    assertThat(first.tookOver()).containsOnlyKeys("10.222.1.7");
    changes.expectNoMessage(Duration.ofMillis(300));

    c.tell(new Announcer.MembershipChanged(five, Set.of("node-a", "node-b")));
    Announcer.Change second = changes.receiveMessage();
    assertThat(second.tookOver()).containsOnlyKeys("10.222.1.6");
    // node-a was lost 300 ms or more ago; node-b in this very message.
    assertThat(second.tookOver().get("10.222.1.6")).isLessThan(Duration.ofMillis(300));
  }

  private static Assignment moving(String vip, long epoch, String holder, String... candidates) {
    return new Assignment(vip, List.of(candidates), Set.of(), epoch, holder);
  }

  private Announcer.State stateOf(ActorRef<Announcer.Command> announcer) {
    TestProbe<Announcer.State> state = kit.createTestProbe();
    announcer.tell(new Announcer.GetState(state.ref()));
    return state.receiveMessage();
  }

  private Map<String, String> owners(ActorRef<Announcer.Command> announcer) {
    return stateOf(announcer).owners();
  }

  /** The node handing over keeps answering, and is the owner in every view, until it is done. */
  @Test
  void theNodeHandingOverKeepsAnsweringUntilTheMoveIsDone() {
    assign("10.222.1.1", 1, "node-a", "node-b");
    link.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    a.tell(new Announcer.Assign(moving("10.222.1.1", 2, "node-a", "node-b", "node-a")));
    link.expectNoMessage(Duration.ofMillis(200));
    assertThat(owners(a)).containsEntry("10.222.1.1", "node-a");
    assertThat(stateOf(a).moving()).containsExactly("10.222.1.1");
    // node-b announces and the entity says so: the move is done.
    assign("10.222.1.1", 3, "node-b", "node-a");
    link.expectMessage(new LinkCommand.Withdraw("10.222.1.1"));
    assertThat(owners(a)).containsEntry("10.222.1.1", "node-b");
    assertThat(stateOf(a).moving()).isEmpty();
    // Handing over never starts an address this node does not announce.
    a.tell(new Announcer.Assign(moving("10.222.1.2", 1, "node-a", "node-b", "node-a")));
    link.expectNoMessage(Duration.ofMillis(200));
  }

  /**
   * Planned moves to a node start one per interval (here an hour: only the first starts), and one
   * whose holder becomes unreachable is a failover that waits for nothing.
   */
  @Test
  void plannedMovesWaitTheirTurnButAFailoverDoesNot() {
    TestProbe<LinkCommand> slowLink = kit.createTestProbe();
    ActorRef<Announcer.Command> b =
        kit.spawn(Announcer.create("node-b", slowLink.ref(), null, Duration.ofHours(1)));
    b.tell(new Announcer.MembershipChanged(NODES, Set.of()));
    b.tell(new Announcer.Assign(moving("10.222.1.1", 1, "node-a", "node-b", "node-a")));
    b.tell(new Announcer.Assign(moving("10.222.1.2", 1, "node-c", "node-b", "node-c")));
    b.tell(new Announcer.Assign(moving("10.222.1.3", 1, "node-a", "node-b", "node-a")));
    slowLink.expectMessage(new LinkCommand.Announce("10.222.1.1", Set.of()));
    slowLink.expectNoMessage(Duration.ofMillis(300));
    // Until their turn, the holders own them in node-b's view too.
    assertThat(owners(b))
        .containsEntry("10.222.1.2", "node-c")
        .containsEntry("10.222.1.3", "node-a");
    // node-a is lost: its move is now a failover; node-c's still waits.
    b.tell(new Announcer.MembershipChanged(NODES, Set.of("node-a")));
    slowLink.expectMessage(new LinkCommand.Announce("10.222.1.3", Set.of()));
    slowLink.expectNoMessage(Duration.ofMillis(300));
    // A new address with nobody to hand over from is no planned move either.
    b.tell(new Announcer.Assign(new Assignment("10.222.1.4", List.of("node-b"), Set.of(), 1)));
    slowLink.expectMessage(new LinkCommand.Announce("10.222.1.4", Set.of()));
  }

  /** With a short interval every planned move starts, oldest first. */
  @Test
  void waitingMovesStartInTheOrderTheyCame() {
    TestProbe<LinkCommand> pacedLink = kit.createTestProbe();
    ActorRef<Announcer.Command> b =
        kit.spawn(Announcer.create("node-b", pacedLink.ref(), null, Duration.ofMillis(20)));
    b.tell(new Announcer.MembershipChanged(NODES, Set.of()));
    List<String> vips = List.of("10.222.1.9", "10.222.1.3", "10.222.1.7", "10.222.1.1");
    for (String vip : vips) {
      b.tell(new Announcer.Assign(moving(vip, 1, "node-c", "node-b", "node-c")));
    }
    for (String vip : vips) {
      pacedLink.expectMessage(new LinkCommand.Announce(vip, Set.of()));
    }
  }
}
