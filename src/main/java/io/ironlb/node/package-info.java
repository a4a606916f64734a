/**
 * A speaker node as one piece: {@link io.ironlb.node.NodeGuardian} spawns its actors (the same for
 * standalone and Kubernetes nodes), {@link io.ironlb.node.NodeFeed} joins the snapshots with the
 * allocations and feeds both protocols the same view, and {@link io.ironlb.node.Lifeline} takes the
 * node out of service when an actor it cannot run without stops ({@link
 * io.ironlb.node.NodeReadiness} answers {@code /ready}).
 */
package io.ironlb.node;
