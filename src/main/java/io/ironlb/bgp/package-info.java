/**
 * BGP mode: the native speaker. So far the wire codec ({@code wire}); the session FSM, the per-node
 * supervisor and the advertisement planner follow (issue 5).
 */
package io.ironlb.bgp;
