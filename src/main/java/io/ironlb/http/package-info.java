/**
 * The node's HTTP surface, on the Pekko Management port: the status API ({@code /v1/services},
 * {@code /v1/l2}, {@code /v1/bgp/peers}, {@code POST /v1/drain}) and {@code /metrics}, beside Pekko
 * Management's {@code /ready}, {@code /alive} and {@code /cluster/members}. The routes find this
 * node's actors through the Receptionist and ask them; nothing here holds state.
 */
package io.ironlb.http;
